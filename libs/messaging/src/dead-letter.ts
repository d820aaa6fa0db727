import type { IHeaders, KafkaMessage } from 'kafkajs';
import { dlqTopicOf } from '@fleetwave/contracts';
import type { TopicMessages } from './kafka-publisher';

/**
 * Thrown by a handler to dead-letter a message that parsed but can never be processed (an
 * unknown action id, a state the workflow rejects for good). Its effects are rolled back, the
 * message goes to the dead-letter topic with `reason`, and consumption moves on.
 */
export class DeadLetterError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'DeadLetterError';
  }
}

/** Headers that say why and from where a message was dead-lettered. */
export const DeadLetterHeaders = {
  reason: 'dlq-reason',
  sourceTopic: 'dlq-source-topic',
  sourcePartition: 'dlq-source-partition',
  sourceOffset: 'dlq-source-offset',
} as const;

/**
 * The dead-letter record for a consumed message: original key, value and headers byte for byte
 * (so it can be replayed unchanged), plus the reason and source coordinates.
 */
export function deadLetterOf(topic: string, partition: number, message: KafkaMessage, reason: string): TopicMessages {
  const headers: IHeaders = {
    ...message.headers,
    [DeadLetterHeaders.reason]: reason,
    [DeadLetterHeaders.sourceTopic]: topic,
    [DeadLetterHeaders.sourcePartition]: String(partition),
    [DeadLetterHeaders.sourceOffset]: message.offset,
  };
  return { topic: dlqTopicOf(topic), messages: [{ key: message.key, value: message.value, headers }] };
}
