import type { EventData, RecordedEvent } from '@fleetwave/contracts';
import pg from 'pg';
import { assertDistinctAppends } from '../append.policy';
import { serializeAppends, validMaxEventBytes } from '../event-size.policy';
import {
  type AppendOptions,
  type AppendResult,
  defaultMaxEventBytes,
  type EventStore,
  type ReadStreamOptions,
  type Snapshot,
  type SqlExecutor,
  type StreamAppend,
  WrongExpectedVersionError,
} from '../event-store.port';
import type { EventStoreLogger, EventSubscriber, Subscription, SubscriptionOptions } from '../event-subscription.port';
import { appendToStreamsIn, LaterWriterConflict } from './append-to-streams.query';
import { eventStoreTables, migrateEventStore, type EventStoreTables } from './event-store.schema';
import { NotificationListener } from './notification-listener.adapter';
import { inTransaction, sqlState, SqlStates } from './pg-transaction.util';
import { PostgresSubscription } from './postgres-subscription.adapter';
import { eventColumns, toRecordedEvent, type EventRow } from './recorded-event.mapper';

export interface PostgresEventStoreOptions {
  /** Receives the failures the store recovers from (lost connections, failing handlers). Default: console. */
  logger?: EventStoreLogger;
  /**
   * Largest serialized `{ type, data, metadata }` an append accepts (default 256 KiB); a larger
   * event is refused with an EventTooLargeError. Keep it well under the broker's message limit.
   */
  maxEventBytes?: number;
  /**
   * Applied to every event read (readStream and subscription batches), e.g. an
   * UpcasterRegistry's `upcast` from @fleetwave/contracts, so readers only see current versions.
   */
  upcast?: (event: RecordedEvent) => RecordedEvent;
}

// A conflict with a concurrent writer resolves itself in a fresh transaction, which sees the
// winner's commit; only a real expected-revision mismatch then remains.
const maxAttempts = 5;
const retryableStates: (string | undefined)[] = [
  SqlStates.uniqueViolation,
  SqlStates.deadlockDetected,
  SqlStates.serializationFailure,
];

/**
 * The event store on Postgres, in one schema per service (tables `events`, `streams`, `snapshots`,
 * `subscription_checkpoints`). Call {@link migrate} at start-up. It logs, rather than crashes on,
 * the pool's idle-connection errors when the application has no listener for them.
 */
export class PostgresEventStore implements EventStore, EventSubscriber {
  private readonly tables: EventStoreTables;
  private readonly logger: EventStoreLogger;
  private readonly listener: NotificationListener;
  private readonly maxEventBytes: number;
  private readonly upcast?: (event: RecordedEvent) => RecordedEvent;

  constructor(
    private readonly pool: pg.Pool,
    schema: string,
    options: PostgresEventStoreOptions = {},
  ) {
    this.tables = eventStoreTables(schema);
    this.logger = options.logger ?? console;
    this.maxEventBytes = validMaxEventBytes(options.maxEventBytes ?? defaultMaxEventBytes);
    this.upcast = options.upcast;
    // An idle pooled connection that dies (Postgres restart) is emitted on the pool; unheard, that
    // would crash the process, so log it unless the application listens itself.
    if (pool.listenerCount('error') === 0) {
      pool.on('error', (error) => this.logger.warn('event store: idle Postgres connection lost', error));
    }
    // LISTEN needs a connection of its own: a pooled one would be handed to other work.
    this.listener = new NotificationListener(() => new pg.Client(pool.options), this.tables.channel, this.logger);
  }

  /** Creates the schema and tables if missing; safe when several replicas call it at once. */
  migrate(): Promise<void> {
    return migrateEventStore(this.pool, this.tables);
  }

  async appendToStream(streamName: string, events: EventData[], options: AppendOptions = {}): Promise<AppendResult> {
    const [result] = await this.appendToStreams([{ streamName, events, expectedRevision: options.expectedRevision }], {
      tx: options.tx,
    });
    return result;
  }

  async appendToStreams(appends: StreamAppend[], options: { tx?: SqlExecutor } = {}): Promise<AppendResult[]> {
    assertDistinctAppends(appends);
    // Serialized once, before any SQL: a too-large event fails fast, and retries reuse the JSON.
    const serialized = serializeAppends(appends, this.maxEventBytes);
    const { tx } = options;
    if (tx) return appendToStreamsIn(tx, this.tables, serialized).catch((error) => rethrowAsConflict(error, appends));
    for (let attempt = 1; ; attempt++) {
      try {
        return await inTransaction(this.pool, (own) => appendToStreamsIn(own, this.tables, serialized));
      } catch (error) {
        const retryable = error instanceof LaterWriterConflict || retryableStates.includes(sqlState(error));
        if (!retryable || attempt === maxAttempts) rethrowAsConflict(error, appends);
      }
    }
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${eventColumns} FROM ${this.tables.events}
        WHERE stream_name = $1 AND revision >= $2 ORDER BY revision LIMIT $3`,
      [streamName, options.fromRevision ?? 0, options.maxCount ?? null],
    );
    const events = rows.map(toRecordedEvent);
    return this.upcast ? events.map(this.upcast) : events;
  }

  async streamRevision(streamName: string): Promise<number | undefined> {
    const { rows } = await this.pool.query<{ revision: number }>(
      `SELECT revision FROM ${this.tables.streams} WHERE stream_name = $1`,
      [streamName],
    );
    return rows[0]?.revision;
  }

  /** Keeps the newest snapshot: saving one older than the stored one is a no-op. */
  async saveSnapshot<TState>(streamName: string, snapshot: Snapshot<TState>): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.tables.snapshots} (stream_name, revision, state) VALUES ($1, $2, $3)
       ON CONFLICT (stream_name) DO UPDATE SET revision = EXCLUDED.revision, state = EXCLUDED.state, created_at = now()
       WHERE ${this.tables.snapshots}.revision <= EXCLUDED.revision`,
      [streamName, snapshot.revision, JSON.stringify(snapshot.state ?? null)],
    );
  }

  async readSnapshot<TState>(streamName: string): Promise<Snapshot<TState> | undefined> {
    const { rows } = await this.pool.query<{ revision: number; state: TState }>(
      `SELECT revision, state FROM ${this.tables.snapshots} WHERE stream_name = $1`,
      [streamName],
    );
    return rows[0] && { revision: rows[0].revision, state: rows[0].state };
  }

  /** A checkpointed subscription over this schema's events (see {@link SubscriptionOptions}). */
  subscribe(options: SubscriptionOptions): Subscription {
    const { upcast } = this;
    const handler: SubscriptionOptions['handler'] = upcast
      ? (events, tx) => options.handler(events.map(upcast), tx)
      : options.handler;
    return new PostgresSubscription(this.pool, this.tables, this.listener, this.logger, { ...options, handler });
  }
}

/** Concurrency failures surface as the port's typed error; anything else as it is. */
function rethrowAsConflict(error: unknown, appends: StreamAppend[]): never {
  if (error instanceof LaterWriterConflict) {
    const expected = appends.find((append) => append.streamName === error.streamName)?.expectedRevision ?? 'any';
    throw new WrongExpectedVersionError(error.streamName, expected, error.currentRevision, error.message);
  }
  if (sqlState(error) === SqlStates.uniqueViolation) {
    const detail = (error as { detail?: string }).detail ?? '';
    const stream = appends.find((append) => detail.includes(`=(${append.streamName}, `)) ?? appends[0];
    throw new WrongExpectedVersionError(
      stream.streamName,
      stream.expectedRevision ?? 'any',
      undefined,
      'a concurrent append wrote the same revision or event id',
    );
  }
  throw error;
}
