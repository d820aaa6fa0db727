import type { EventData } from '@fleetwave/contracts';
import { EventTooLargeError, type ExpectedRevision, type StreamAppend } from './event-store.port';

/** An event as the store writes it: data and metadata already JSON, with its serialized size. */
export interface SerializedEvent {
  id?: string;
  type: string;
  data: string;
  metadata: string;
  /** UTF-8 bytes of `JSON.stringify({ type, data, metadata })`, i.e. of the relayed message value. */
  sizeBytes: number;
}

/** A {@link StreamAppend} whose events are serialized and checked against the size limit. */
export interface SerializedAppend {
  streamName: string;
  expectedRevision?: ExpectedRevision;
  events: SerializedEvent[];
}

// `{"type":` + `,"data":` + `,"metadata":` + `}`: the envelope around the three serialized parts.
const envelopeBytes = 29;

/**
 * Serializes an event once, for both the size check and the write. The size is that of the
 * `{ type, data, metadata }` value a relay publishes, so a bound here is a bound there.
 */
export function serializeEvent(event: EventData): SerializedEvent {
  const type = JSON.stringify(event.type);
  const data = JSON.stringify(event.data ?? null);
  const metadata = JSON.stringify(event.metadata ?? {});
  const sizeBytes = envelopeBytes + Buffer.byteLength(type) + Buffer.byteLength(data) + Buffer.byteLength(metadata);
  return { id: event.id, type: event.type, data, metadata, sizeBytes };
}

/** Serializes every event, refusing the whole call with {@link EventTooLargeError} if one is too large. */
export function serializeAppends(appends: StreamAppend[], maxEventBytes: number): SerializedAppend[] {
  return appends.map(({ streamName, expectedRevision, events }) => ({
    streamName,
    expectedRevision,
    events: events.map((event) => {
      const serialized = serializeEvent(event);
      if (serialized.sizeBytes > maxEventBytes) {
        throw new EventTooLargeError(streamName, event.type, serialized.sizeBytes, maxEventBytes);
      }
      return serialized;
    }),
  }));
}

/** Validates an adapter's `maxEventBytes` option. */
export function validMaxEventBytes(value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`maxEventBytes must be a positive integer, got ${value}`);
  return value;
}
