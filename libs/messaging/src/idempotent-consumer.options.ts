import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import type { ConsumerMetricsRecorder } from '@fleetwave/platform';
import type { BackoffPolicy } from './backoff';
import type { BatchHandler } from './batch-handler';
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
  /**
   * Applies the new messages of one batch slice in one transaction (the batch-native path).
   * Exactly one of `handleBatch` and `handle` is given.
   */
  handleBatch?: BatchHandler<T>;
  /**
   * Applies one message; run for each message of a slice under its own savepoint, inside the
   * slice's one transaction. Exactly one of `handleBatch` and `handle` is given.
   */
  handle?: MessageHandler<T>;
  /**
   * Messages this consumer has no effect for (another service's share of a shared topic): they
   * are settled as `ignored` without a transaction or a processed record. Defaults to all relevant.
   */
  relevant?: (message: T) => boolean;
  /**
   * Messages whose effect cannot change anything when applied again, whatever has happened
   * since (the handler decides by the state it finds, as when partitions interleave): they get
   * no processed-message record, and a redelivery reaches the handler again. For the rest the
   * record is what keeps effects exactly-once. Defaults to none: every message is recorded.
   */
  replaySafe?: (message: T) => boolean;
  /**
   * What becomes of a value that is not JSON: `dead-letter` (the default) sends it to the DLQ
   * with the reason; `skip` settles it silently, for a consumer sharing a topic with another
   * service that owns dead-lettering its bad input (so it is dead-lettered once, not once per
   * consumer).
   */
  undecodable?: 'dead-letter' | 'skip';
  /** Brokers to connect to, unless an existing kafkajs client is given. */
  brokers?: string[];
  kafka?: Kafka;
  clientId?: string;
  /** Name recorded in processed_messages; defaults to the group id. */
  consumerName?: string;
  logger?: MessagingLogger;
  /** Where a new group starts; true (the default) so a new consumer sees every retained event. */
  fromBeginning?: boolean;
  /** Backoff between attempts at a failing slice; the delay is capped, transient retries are not. */
  retryBackoff?: BackoffPolicy;
  /** Most messages of a fetched batch applied in one transaction (default 500). */
  batchMaxMessages?: number;
  /** Most key + value + header bytes applied in one transaction (default 1 MiB); a larger message goes alone. */
  batchMaxBytes?: number;
  /** Attempts at a slice failing with an unclassified error before it counts as permanent (default 3). */
  unknownErrorAttempts?: number;
  /** A slice retried longer than this turns the consumer unhealthy, naming it (default 30 s). */
  stuckAfterMs?: number;
  /** Partitions processed in parallel (each one still in order); the pool needs as many connections. */
  partitionsConsumedConcurrently?: number;
  /**
   * Group session timeout (default 6 s, the broker's default minimum): how long a crashed
   * member holds its partitions before the group reassigns them.
   */
  sessionTimeoutMs?: number;
  /** Heartbeat interval (default 1 s); also the slice of retry backoff between heartbeats. */
  heartbeatIntervalMs?: number;
  /**
   * Longest a fetch waits on the broker for new records (default 1 s). Records are returned as
   * soon as they arrive; the bound matters when idle, and for stop(), which waits for it.
   */
  maxWaitTimeMs?: number;
  /** Publisher for dead letters; by default the consumer creates and owns one. */
  deadLetterPublisher?: KafkaPublisher;
  /** Where each settled slice is counted and timed (once per slice); none by default. */
  metrics?: ConsumerMetricsRecorder;
  /** Called after each message is settled; for tests. */
  onOutcome?: (outcome: MessageOutcome, ctx: MessageContext) => void;
  /**
   * Called after a slice's transaction committed and before its offsets are resolved; for
   * metrics and for tests of redelivery. Offsets wait for it.
   */
  onSliceCommitted?: (slice: CommittedSlice) => void | Promise<void>;
}

/** A slice whose transaction committed, as given to `onSliceCommitted`. */
export interface CommittedSlice {
  topic: string;
  partition: number;
  firstOffset: string;
  lastOffset: string;
  messages: number;
}
