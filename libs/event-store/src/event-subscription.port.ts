import type { RecordedEvent } from '@fleetwave/contracts';
import type { SqlExecutor } from './event-store.port';

/**
 * Checkpointed subscriptions: a handler sees every event once per successful checkpoint, in
 * commit order (transaction id, then position), and per stream in revision order.
 */

/**
 * Handles one batch inside the transaction that advances the checkpoint: writes made through `tx`
 * commit together with it (exactly-once effects in the store's database). A throw rolls both back
 * and the same batch is retried.
 */
export type SubscriptionHandler = (events: RecordedEvent[], tx: SqlExecutor) => Promise<void>;

export interface SubscriptionOptions {
  /** Names the checkpoint; instances sharing it take turns, never processing concurrently. */
  subscriptionId: string;
  /** Stream-name prefixes before the first '-': 'rollout' matches 'rollout-42' and 'rollout-42-membership'. */
  categories?: string[];
  /** Most events per handler call (default 500). */
  batchSize?: number;
  /**
   * Most serialized event bytes per handler call (default 8 MiB), so one pass holds a bounded
   * amount in memory however large the events are. A single larger event still forms a batch.
   */
  maxBatchBytes?: number;
  /** Poll although no notification came, in case one is lost (default 2,000 ms). */
  safetyPollMs?: number;
  handler: SubscriptionHandler;
}

/** How a subscription is doing, for readiness probes. */
export interface SubscriptionHealth {
  subscriptionId: string;
  /** When the batch now being retried first failed; absent while batches succeed. */
  failingSince?: Date;
  /** How many passes in a row have rolled back. */
  failedPasses: number;
  lastError?: string;
}

export interface Subscription {
  /** Starts processing in the background; resolves once it is listening for new events. */
  start(): Promise<void>;
  /** Stops after the in-flight batch commits or rolls back. */
  stop(): Promise<void>;
  /** Whether batches are succeeding, and the error while they are not. */
  health?(): SubscriptionHealth;
  /**
   * How many events of its categories it has not handled yet, counted up to `limit` (a bounded
   * read, for metrics: a relay's backlog is what Kafka has not been sent).
   */
  backlog?(limit: number): Promise<number>;
}

/** A store that can feed checkpointed subscriptions. */
export interface EventSubscriber {
  subscribe(options: SubscriptionOptions): Subscription;
}

/** Where adapters report the failures they recover from (Nest's Logger fits). */
export interface EventStoreLogger {
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}
