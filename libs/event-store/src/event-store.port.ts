import type { EventData, RecordedEvent } from '@fleetwave/contracts';

/**
 * The event store port. It mirrors the shape of EventStoreDB's client API
 * (appendToStream / readStream / subscriptions) so that an adapter for it can be added.
 */

/** `no_stream`: the stream must not exist; `stream_exists`: it must; a number: its last revision. */
export type ExpectedRevision = 'no_stream' | 'any' | 'stream_exists' | number;

/** Something that runs SQL: a pool, or a client inside an open transaction. */
export interface SqlExecutor {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }>;
}

export interface AppendOptions {
  expectedRevision?: ExpectedRevision;
  /**
   * Append inside the caller's open transaction (effect + events commit together); the store then
   * issues neither BEGIN nor COMMIT. Append before the transaction's other writes: an adapter may
   * reject (as a WrongExpectedVersionError) an append that would break per-stream delivery order.
   */
  tx?: SqlExecutor;
}

export interface AppendResult {
  /** Revision of the last event written; pass it as expectedRevision for the next append. */
  nextExpectedRevision: number;
  /** Global position of the last event written. */
  position: bigint;
}

export interface StreamAppend {
  streamName: string;
  events: EventData[];
  expectedRevision?: ExpectedRevision;
}

export interface ReadStreamOptions {
  fromRevision?: number;
  maxCount?: number;
}

export interface Snapshot<TState> {
  revision: number;
  state: TState;
}

export interface EventStore {
  appendToStream(streamName: string, events: EventData[], options?: AppendOptions): Promise<AppendResult>;
  /** Appends to many streams in one transaction (all or nothing), with set-based inserts. */
  appendToStreams(appends: StreamAppend[], options?: { tx?: SqlExecutor }): Promise<AppendResult[]>;
  /** Events of one stream in revision order; an unknown stream yields an empty list. */
  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** The stream's last revision, or undefined when it does not exist. */
  streamRevision(streamName: string): Promise<number | undefined>;
  saveSnapshot<TState>(streamName: string, snapshot: Snapshot<TState>): Promise<void>;
  readSnapshot<TState>(streamName: string): Promise<Snapshot<TState> | undefined>;
}

/** Raised when an append's expected revision does not match the stream. */
export class WrongExpectedVersionError extends Error {
  readonly code = 'EVENT_STORE.WRONG_EXPECTED_VERSION';
  constructor(
    readonly streamName: string,
    readonly expectedRevision: ExpectedRevision,
    readonly actualRevision: number | undefined,
    /** Why the append conflicted when the revisions alone do not tell (e.g. a concurrent writer). */
    readonly reason?: string,
  ) {
    super(
      `stream ${streamName}: expected revision ${String(expectedRevision)}, actual ${actualRevision ?? 'no stream'}` +
        (reason ? ` (${reason})` : ''),
    );
    this.name = 'WrongExpectedVersionError';
  }
}

/** Default {@link EventTooLargeError} bound: a quarter of the broker's default 1 MiB message limit. */
export const defaultMaxEventBytes = 256 * 1024;

/**
 * Raised at append time for an event whose serialized `{ type, data, metadata }` exceeds the
 * store's maximum. Refused here, it cannot later wedge a relay that would find no produce request
 * able to carry it. Nothing of the append is written.
 */
export class EventTooLargeError extends Error {
  readonly code = 'EVENT_STORE.EVENT_TOO_LARGE';
  constructor(
    readonly streamName: string,
    readonly eventType: string,
    readonly sizeBytes: number,
    readonly maxEventBytes: number,
  ) {
    super(
      `event ${eventType} for stream ${streamName} is ${sizeBytes} bytes serialized, above the ${maxEventBytes}-byte maximum`,
    );
    this.name = 'EventTooLargeError';
  }
}
