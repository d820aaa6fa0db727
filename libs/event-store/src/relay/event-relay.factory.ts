import type { RecordedEvent } from '@fleetwave/contracts';
import type { EventSubscriber, Subscription } from '../event-subscription.port';

export interface RelayOptions {
  store: EventSubscriber;
  /** Names the relay's checkpoint (one per destination). */
  subscriptionId: string;
  /** Stream categories to relay; all events when omitted. */
  categories?: string[];
  /** Most events per publish call (default 500). */
  batchSize?: number;
  /**
   * Most serialized event bytes per publish call (default 8 MiB): a pass holds a bounded amount
   * in memory. The publisher still splits what it gets into produce requests under the broker's
   * limit; every event fits one, as appends refuse events above the store's maximum.
   */
  maxBatchBytes?: number;
  /**
   * Publishes a batch in the given order and resolves once the broker acknowledged it (e.g. a
   * Kafka producer's send with acks=all). Kept as a function so the event store needs no kafkajs.
   */
  publish: (events: RecordedEvent[]) => Promise<void>;
}

/**
 * The store is the outbox: a subscription that publishes each batch before its checkpoint
 * commits. At-least-once (a crash between publish and commit publishes the batch again) and in
 * stream order, so consumers deduplicate by event id (`ce_id`).
 */
export function createRelay(options: RelayOptions): Subscription {
  const { store, subscriptionId, categories, batchSize, maxBatchBytes, publish } = options;
  return store.subscribe({
    subscriptionId,
    categories,
    batchSize,
    maxBatchBytes,
    handler: (events) => publish(events),
  });
}
