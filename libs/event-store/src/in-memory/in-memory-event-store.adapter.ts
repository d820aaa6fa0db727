import { randomUUID } from 'node:crypto';
import type { EventData, RecordedEvent } from '@fleetwave/contracts';
import { assertDistinctAppends, assertExpectedRevision, priorAppendResult } from '../append.policy';
import {
  type AppendOptions,
  type AppendResult,
  defaultMaxEventBytes,
  type EventStore,
  type ReadStreamOptions,
  type Snapshot,
  type StreamAppend,
} from '../event-store.port';
import { serializeAppends, validMaxEventBytes, type SerializedAppend } from '../event-size.policy';

/** A JSON round trip, as jsonb does: stored values never alias the caller's objects. */
const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value ?? null)) as T;

/**
 * The event store port in memory, for unit tests of command handlers. Same semantics as the
 * Postgres adapter (the shared contract suite checks it); `tx` options are ignored, as there is
 * no transaction to join. Time comes from the injected clock.
 */
export class InMemoryEventStore implements EventStore {
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly eventsById = new Map<string, RecordedEvent>();
  private readonly snapshots = new Map<string, Snapshot<unknown>>();
  private lastPosition = 0n;
  private readonly maxEventBytes: number;
  private readonly upcast: (event: RecordedEvent) => RecordedEvent;

  /** `maxEventBytes` and `upcast`: as the Postgres adapter's options of those names. */
  constructor(
    private readonly now: () => Date = () => new Date(),
    options: { maxEventBytes?: number; upcast?: (event: RecordedEvent) => RecordedEvent } = {},
  ) {
    this.maxEventBytes = validMaxEventBytes(options.maxEventBytes ?? defaultMaxEventBytes);
    this.upcast = options.upcast ?? ((event) => event);
  }

  async appendToStream(streamName: string, events: EventData[], options: AppendOptions = {}): Promise<AppendResult> {
    const [result] = await this.appendToStreams([{ streamName, events, expectedRevision: options.expectedRevision }]);
    return result;
  }

  async appendToStreams(appends: StreamAppend[]): Promise<AppendResult[]> {
    assertDistinctAppends(appends);
    // Check every append before writing any, so that one conflict leaves the store untouched.
    const checked = serializeAppends(appends, this.maxEventBytes).map((append) => {
      const current = this.streams.get(append.streamName)?.length;
      const revision = current === undefined ? undefined : current - 1;
      const prior = priorAppendResult(append, revision, (id) => this.eventsById.get(id));
      if (!prior) assertExpectedRevision(append.streamName, append.expectedRevision, revision);
      return { append, revision, prior };
    });
    const createdAt = this.now();
    return checked.map(({ append, revision, prior }) => prior ?? this.write(append, revision, createdAt));
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const from = options.fromRevision ?? 0;
    const to = options.maxCount === undefined ? undefined : from + options.maxCount;
    const events = (this.streams.get(streamName) ?? []).slice(from, to);
    return events.map((event) => this.upcast({ ...event, data: asJson(event.data), metadata: asJson(event.metadata) }));
  }

  async streamRevision(streamName: string): Promise<number | undefined> {
    const length = this.streams.get(streamName)?.length;
    return length === undefined ? undefined : length - 1;
  }

  async saveSnapshot<TState>(streamName: string, snapshot: Snapshot<TState>): Promise<void> {
    const stored = this.snapshots.get(streamName);
    if (stored && stored.revision > snapshot.revision) return;
    this.snapshots.set(streamName, { revision: snapshot.revision, state: asJson(snapshot.state) });
  }

  async readSnapshot<TState>(streamName: string): Promise<Snapshot<TState> | undefined> {
    const stored = this.snapshots.get(streamName);
    return stored && { revision: stored.revision, state: asJson(stored.state) as TState };
  }

  private write(append: SerializedAppend, revision: number | undefined, createdAt: Date): AppendResult {
    if (append.events.length === 0) {
      const last = this.streams.get(append.streamName)?.at(-1);
      return { nextExpectedRevision: revision ?? -1, position: last?.position ?? -1n };
    }
    const stream = this.streams.get(append.streamName) ?? [];
    this.streams.set(append.streamName, stream);
    for (const event of append.events) {
      const recorded: RecordedEvent = {
        id: event.id?.toLowerCase() ?? randomUUID(),
        type: event.type,
        data: JSON.parse(event.data),
        metadata: JSON.parse(event.metadata),
        streamName: append.streamName,
        revision: stream.length,
        position: ++this.lastPosition,
        createdAt,
      };
      stream.push(recorded);
      this.eventsById.set(recorded.id, recorded);
    }
    const last = stream[stream.length - 1];
    return { nextExpectedRevision: last.revision, position: last.position };
  }
}
