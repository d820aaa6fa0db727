import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import type { BackoffPolicy } from './backoff';
import type { MessageContext } from './inbound-message';
import type { KafkaPublisher } from './kafka-publisher';
import type { MessageHandler, MessageOutcome, MessageParser } from './message-processor';
import type { MessagingLogger } from './messaging-logger';

/** Options of {@link IdempotentConsumer}. */
export interface IdempotentConsumerOptions<T> {
  /** Kafka consumer group; instances with the same group share the partitions. */
  groupId: string;
  topics: string[];
  /** Pool of the owning service's database. */
  pool: Pool;
  /** The owning service's schema; `<schema>.processed_messages` is created there when missing. */
  schema: string;
  parse: MessageParser<T>;
  handle: MessageHandler<T>;
  /**
   * Messages this consumer has no effect for (another service's share of a shared topic): they
   * are settled as `ignored` without a transaction or a processed record. Defaults to all relevant.
   */
  relevant?: (message: T) => boolean;
  /** Brokers to connect to, unless an existing kafkajs client is given. */
  brokers?: string[];
  kafka?: Kafka;
  clientId?: string;
  /** Name recorded in processed_messages; defaults to the group id. */
  consumerName?: string;
  logger?: MessagingLogger;
  /** Where a new group starts; true (the default) so a new consumer sees every retained event. */
  fromBeginning?: boolean;
  /** Backoff between attempts at a failing message; the delay is capped, the attempts are not. */
  retryBackoff?: BackoffPolicy;
  /** Partitions processed in parallel (each one still in order); the pool needs as many connections. */
  partitionsConsumedConcurrently?: number;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /**
   * Longest a fetch waits on the broker for new records (default 1 s). Records are returned as
   * soon as they arrive; the bound matters when idle, and for stop(), which waits for it.
   */
  maxWaitTimeMs?: number;
  /** Publisher for dead letters; by default the consumer creates and owns one. */
  deadLetterPublisher?: KafkaPublisher;
  /** Called after each message is settled; for metrics and tests. */
  onOutcome?: (outcome: MessageOutcome, ctx: MessageContext) => void;
}
