// Public API of @fleetwave/messaging: Kafka adapters shared by every service.
export { consoleLogger, silentLogger, errorMessage, type MessagingLogger } from './messaging-logger';
export { createKafkaClient, kafkaLogCreator, type KafkaClientOptions } from './kafka-client.factory';
export { ensureTopics, type EnsureTopicsOptions, type EnsureTopicsResult } from './ensure-topics';
export {
  KafkaPublisher,
  encodeValue,
  type KafkaPublisherOptions,
  type OutgoingMessage,
  type TopicMessages,
} from './kafka-publisher';
export { defaultBackoff, type BackoffPolicy } from './backoff';
export { messageContextOf, type MessageContext } from './inbound-message';
export { DeadLetterError, DeadLetterHeaders, deadLetterOf } from './dead-letter';
export type { HandlerContext, MessageHandler, MessageOutcome, MessageParser } from './message-processor';
export type { ConsumerHealth, ConsumerState, RetryingMessage } from './consumer-health';
export { IdempotentConsumer, runIdempotentConsumer } from './idempotent-consumer';
export type { IdempotentConsumerOptions } from './idempotent-consumer.options';
export { installShutdownHooks, type Closeable, type ShutdownHookOptions } from './shutdown-hooks';
