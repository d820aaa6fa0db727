import type { AppendResult, ExpectedRevision, StreamAppend } from './event-store.port';
import { WrongExpectedVersionError } from './event-store.port';

/**
 * Append rules shared by every adapter, so that they agree on what a conflict is.
 */

/** Throws WrongExpectedVersionError when `expected` does not hold for a stream at `current`. */
export function assertExpectedRevision(
  streamName: string,
  expected: ExpectedRevision = 'any',
  current: number | undefined,
): void {
  const holds =
    expected === 'any' ||
    (expected === 'no_stream' && current === undefined) ||
    (expected === 'stream_exists' && current !== undefined) ||
    expected === current;
  if (!holds) throw new WrongExpectedVersionError(streamName, expected, current);
}

/** Rejects calls that cannot be applied set-based: a stream twice, or an event id twice. */
export function assertDistinctAppends(appends: StreamAppend[]): void {
  const streams = new Set<string>();
  const ids = new Set<string>();
  for (const { streamName, events } of appends) {
    if (streams.has(streamName)) throw new Error(`appendToStreams: stream ${streamName} appears more than once`);
    streams.add(streamName);
    for (const { id } of events) {
      if (id === undefined) continue;
      if (ids.has(id.toLowerCase())) throw new Error(`appendToStreams: event id ${id} appears more than once`);
      ids.add(id.toLowerCase());
    }
  }
}

/** Where an already stored event sits. */
export interface StoredEventLocation {
  streamName: string;
  revision: number;
  position: bigint;
}

/**
 * EventStoreDB-style idempotency for writer-supplied event ids, so that a retried command is
 * harmless: when every event of the append is already stored, in order, in this stream, the
 * append counts as done and its earlier result is returned; when none is, it proceeds (undefined);
 * when only some are, or elsewhere, it conflicts.
 */
export function priorAppendResult(
  append: Pick<StreamAppend, 'streamName' | 'expectedRevision'> & { events: { id?: string }[] },
  current: number | undefined,
  locate: (eventId: string) => StoredEventLocation | undefined,
): AppendResult | undefined {
  const found = append.events.map(({ id }) => (id === undefined ? undefined : locate(id.toLowerCase())));
  if (found.every((location) => location === undefined)) return undefined;
  const first = found[0];
  const sameAppend = found.every(
    (location, index) =>
      location !== undefined &&
      first !== undefined &&
      location.streamName === append.streamName &&
      location.revision === first.revision + index,
  );
  const last = found[found.length - 1];
  if (!sameAppend || last === undefined) {
    throw new WrongExpectedVersionError(
      append.streamName,
      append.expectedRevision ?? 'any',
      current,
      'event ids already stored by another append',
    );
  }
  return { nextExpectedRevision: last.revision, position: last.position };
}
