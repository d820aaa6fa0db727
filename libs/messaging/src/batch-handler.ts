import type { PoolClient } from 'pg';
import type { MessageContext } from './inbound-message';

/** One parsed, relevant, not-yet-processed message of a Kafka batch, with where it came from. */
export interface BatchItem<T> {
  message: T;
  context: MessageContext;
}

/** What a batch handler gets besides its items: the partition and the open transaction. */
export interface BatchContext {
  topic: string;
  partition: number;
  /**
   * A client inside an open transaction. The set-based processed-message record of the items
   * is written in it, and both commit together before any offset is resolved.
   */
  tx: PoolClient;
}

/** An item the handler refuses for good: it goes to the dead-letter topic with the reason. */
export interface RejectedItem {
  messageId: string;
  reason: string;
}

/**
 * What a batch handler may report. Items it lists as rejected are dead-lettered (before the
 * transaction commits) and their effects must not have been applied; items it lists as
 * ignored had deliberately no effect. Every other item counts as processed.
 */
export interface BatchResult {
  rejected?: RejectedItem[];
  ignored?: string[];
}

/**
 * Applies a whole batch of one partition, in Kafka order, through `ctx.tx` with set-based SQL.
 * Items for the same key must be applied in the order given (per-key order). Throwing a
 * permanent error (a DeadLetterError, a data error) makes the consumer isolate the culprit by
 * splitting the batch, so the rest still applies; a transient error retries the whole batch.
 */
export type BatchHandler<T> = (items: BatchItem<T>[], ctx: BatchContext) => Promise<void | BatchResult>;
