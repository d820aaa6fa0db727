import { randomUUID } from 'node:crypto';
import type { EventData } from '@fleetwave/contracts';
import { defaultMaxEventBytes, type EventStore, EventTooLargeError } from '../event-store.port';

/**
 * The size limit every adapter enforces at append time (part of the EventStore contract suite):
 * a serialized `{ type, data, metadata }` above the maximum is refused, typed, writing nothing.
 */
export function describeEventSizeContract(store: () => EventStore): void {
  describe('event size', () => {
    const rejection = (promise: Promise<unknown>): Promise<unknown> =>
      promise.then(
        () => undefined,
        (error) => error,
      );
    const newStream = (category = 'order'): string => `${category}-${randomUUID()}`;
    const event = (type: string): EventData => ({ type, data: { n: 1 } });
    /** An event whose `{ type, data, metadata }` JSON is exactly `bytes` UTF-8 bytes (2-byte characters included). */
    const eventOfSize = (bytes: number): EventData => {
      const base = Buffer.byteLength(JSON.stringify({ type: 'Big.v1', data: { blob: '' }, metadata: {} }));
      const wide = 'é'.repeat(1_000);
      return { type: 'Big.v1', data: { blob: wide + 'x'.repeat(bytes - base - Buffer.byteLength(wide)) } };
    };

    it('stores an event at the maximum size and reads it back whole', async () => {
      const stream = newStream();
      const atLimit = eventOfSize(defaultMaxEventBytes);
      await store().appendToStream(stream, [atLimit]);
      const [read] = await store().readStream(stream);
      expect(read.data).toEqual(atLimit.data);
    });

    it('refuses an event one byte above the maximum with a typed error naming stream, type and sizes', async () => {
      const stream = newStream();
      const error = await rejection(
        store().appendToStream(stream, [event('A'), eventOfSize(defaultMaxEventBytes + 1)]),
      );
      expect(error).toBeInstanceOf(EventTooLargeError);
      expect(error).toMatchObject({
        code: 'EVENT_STORE.EVENT_TOO_LARGE',
        streamName: stream,
        eventType: 'Big.v1',
        sizeBytes: defaultMaxEventBytes + 1,
        maxEventBytes: defaultMaxEventBytes,
      });
      expect((error as Error).message).toContain(stream);
      expect(await store().streamRevision(stream)).toBeUndefined();
    });

    it('refuses a multi-stream append holding one too-large event, writing none of it', async () => {
      const small = newStream();
      const large = newStream('invoice');
      await expect(
        store().appendToStreams([
          { streamName: small, events: [event('A')] },
          { streamName: large, events: [eventOfSize(2 * defaultMaxEventBytes)] },
        ]),
      ).rejects.toMatchObject({ code: 'EVENT_STORE.EVENT_TOO_LARGE', streamName: large });
      expect(await store().streamRevision(small)).toBeUndefined();
      expect(await store().streamRevision(large)).toBeUndefined();
    });

    it('counts metadata towards the size', async () => {
      const stream = newStream();
      const atLimit = eventOfSize(defaultMaxEventBytes);
      await expect(
        store().appendToStream(stream, [{ ...atLimit, metadata: { correlationId: 'c-1' } }]),
      ).rejects.toBeInstanceOf(EventTooLargeError);
    });
  });
}
