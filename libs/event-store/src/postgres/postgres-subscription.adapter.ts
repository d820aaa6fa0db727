import type pg from 'pg';
import type {
  EventStoreLogger,
  Subscription,
  SubscriptionHealth,
  SubscriptionOptions,
} from '../event-subscription.port';
import type { EventStoreTables } from './event-store.schema';
import type { NotificationListener } from './notification-listener.adapter';
import { inTransaction } from './pg-transaction.util';
import { PostgresSubscriptionQueries } from './postgres-subscription.queries';
import { WakeSignal } from './wake-signal.util';

/** What one pass found: work done, nothing to do, events held back by an open transaction, or another instance busy. */
type PassOutcome = 'processed' | 'caught-up' | 'behind-horizon' | 'locked';

const horizonBackoff = { firstMs: 10, maxMs: 200 };
const errorBackoff = { firstMs: 100, maxMs: 5_000 };
const nextDelay = (previousMs: number, { firstMs, maxMs }: { firstMs: number; maxMs: number }): number =>
  Math.min(Math.max(firstMs, previousMs * 2), maxMs);

/**
 * A checkpointed subscription. Each pass is one transaction: take the subscription's advisory
 * lock, read the next events below the visibility horizon, run the handler, advance the checkpoint.
 * Passes follow notifications; a short backoff while an open transaction holds the horizon back
 * (it may never notify); a slow safety poll in case a notification is lost.
 */
export class PostgresSubscription implements Subscription {
  private readonly queries: PostgresSubscriptionQueries;
  private readonly wakeUp = (): void => this.signal.wake();
  private signal = new WakeSignal();
  private loop?: Promise<void>;
  private failingSince?: Date;
  private failedPasses = 0;
  private lastError?: string;

  constructor(
    private readonly pool: pg.Pool,
    tables: EventStoreTables,
    private readonly listener: NotificationListener,
    private readonly logger: EventStoreLogger,
    private readonly options: SubscriptionOptions,
  ) {
    this.queries = new PostgresSubscriptionQueries(tables, options);
  }

  async start(): Promise<void> {
    if (this.loop) return;
    this.signal = new WakeSignal();
    await this.listener.add(this.wakeUp);
    this.loop = this.run(this.signal);
  }

  async stop(): Promise<void> {
    if (!this.loop) return;
    this.signal.close();
    await this.loop;
    this.loop = undefined;
    await this.listener.remove(this.wakeUp);
  }

  health(): SubscriptionHealth {
    return {
      subscriptionId: this.options.subscriptionId,
      failingSince: this.failingSince,
      failedPasses: this.failedPasses,
      lastError: this.lastError,
    };
  }

  /** Events not yet handled (see {@link Subscription.backlog}). */
  backlog(limit: number): Promise<number> {
    return this.queries.countAfterCheckpoint(this.pool, limit);
  }

  private async run(signal: WakeSignal): Promise<void> {
    const safetyPollMs = this.options.safetyPollMs ?? 2_000;
    let horizonDelayMs = 0;
    let errorDelayMs = 0;
    while (!signal.isClosed) {
      let outcome: PassOutcome;
      try {
        signal.clear();
        outcome = await this.pass();
        errorDelayMs = 0;
        this.failingSince = undefined;
        this.failedPasses = 0;
        this.lastError = undefined;
      } catch (error) {
        errorDelayMs = nextDelay(errorDelayMs, errorBackoff);
        this.failingSince ??= new Date();
        this.failedPasses++;
        this.lastError = error instanceof Error ? error.message : String(error);
        this.logger.error(
          `subscription ${this.options.subscriptionId}: batch rolled back, retrying in ${errorDelayMs} ms`,
          error,
        );
        await signal.wait(errorDelayMs, false);
        continue;
      }
      horizonDelayMs = outcome === 'behind-horizon' ? nextDelay(horizonDelayMs, horizonBackoff) : 0;
      if (outcome === 'behind-horizon') await signal.wait(horizonDelayMs);
      else if (outcome !== 'processed') await signal.wait(safetyPollMs);
    }
  }

  private pass(): Promise<PassOutcome> {
    return inTransaction(this.pool, async (tx) => {
      if (!(await this.queries.tryLock(tx))) return 'locked';
      const checkpoint = await this.queries.readCheckpoint(tx);
      const events = await this.queries.readBatch(tx, checkpoint);
      if (events.length === 0) {
        return (await this.queries.hasEventsAfter(tx, checkpoint)) ? 'behind-horizon' : 'caught-up';
      }
      const batch = events.map(({ event }) => event);
      await this.options.handler(batch, tx);
      await this.queries.saveCheckpoint(tx, events[events.length - 1].checkpoint);
      return 'processed';
    });
  }
}
