import { randomUUID } from 'node:crypto';
import type { EventData } from '@fleetwave/contracts';
import { type EventStore, WrongExpectedVersionError } from '../event-store.port';
import { describeEventSizeContract } from './event-size.contract';

/** A store under test and how to clean up after it. */
export interface EventStoreFixture {
  store: EventStore;
  dispose?: () => Promise<void>;
}

/**
 * The behaviour every EventStore adapter must share. Each test gets a fresh fixture, so an
 * adapter's spec only says how to build one.
 */
export function describeEventStoreContract(adapterName: string, createFixture: () => Promise<EventStoreFixture>): void {
  describe(`${adapterName} honours the EventStore contract`, () => {
    let fixture: EventStoreFixture;
    let store: EventStore;
    beforeEach(async () => {
      fixture = await createFixture();
      store = fixture.store;
    });
    afterEach(async () => fixture.dispose?.());

    const newStream = (category = 'order'): string => `${category}-${randomUUID()}`;
    const event = (type: string, data: unknown = { n: 1 }): EventData => ({ type, data });
    const rejection = (promise: Promise<unknown>): Promise<unknown> =>
      promise.then(
        () => undefined,
        (error) => error,
      );

    describe('append and read', () => {
      it('reads appended events back in revision order with their data, metadata and ids', async () => {
        const stream = newStream();
        const id = randomUUID();
        const written: EventData[] = [
          { type: 'OrderPlaced.v1', data: { total: 3 }, metadata: { correlationId: 'c-1', actor: 'ann' }, id },
          { type: 'OrderPaid.v1', data: { method: 'card' } },
        ];
        const result = await store.appendToStream(stream, written, { expectedRevision: 'no_stream' });
        const events = await store.readStream(stream);
        expect(
          events.map(({ type, data, metadata, streamName, revision }) => ({
            type,
            data,
            metadata,
            streamName,
            revision,
          })),
        ).toEqual([
          {
            type: 'OrderPlaced.v1',
            data: { total: 3 },
            metadata: { correlationId: 'c-1', actor: 'ann' },
            streamName: stream,
            revision: 0,
          },
          { type: 'OrderPaid.v1', data: { method: 'card' }, metadata: {}, streamName: stream, revision: 1 },
        ]);
        expect(events[0].id).toBe(id);
        expect(events[1].id).toMatch(/^[0-9a-f-]{36}$/);
        expect(events[0].createdAt).toBeInstanceOf(Date);
        expect(events[1].position).toBeGreaterThan(events[0].position);
        expect(result).toEqual({ nextExpectedRevision: 1, position: events[1].position });
        expect(await store.streamRevision(stream)).toBe(1);
      });

      it('reads an unknown stream as empty, with no revision', async () => {
        const stream = newStream();
        expect(await store.readStream(stream)).toEqual([]);
        expect(await store.streamRevision(stream)).toBeUndefined();
      });

      it('reads from a revision, at most maxCount events', async () => {
        const stream = newStream();
        await store.appendToStream(
          stream,
          ['A', 'B', 'C', 'D'].map((type) => event(type)),
        );
        expect((await store.readStream(stream, { fromRevision: 1, maxCount: 2 })).map((e) => e.type)).toEqual([
          'B',
          'C',
        ]);
        expect((await store.readStream(stream, { fromRevision: 3 })).map((e) => e.type)).toEqual(['D']);
      });

      it('assigns increasing global positions across streams', async () => {
        const first = await store.appendToStream(newStream(), [event('A')]);
        const second = await store.appendToStream(newStream('invoice'), [event('B')]);
        expect(second.position).toBeGreaterThan(first.position);
      });

      it('stores data as JSON: what is read back is a copy in JSON form', async () => {
        const stream = newStream();
        const data = { at: new Date('2025-01-02T03:04:05.000Z'), nested: { list: [1, 2] } };
        await store.appendToStream(stream, [event('Timed.v1', data)]);
        data.nested.list.push(3);
        const [read] = await store.readStream(stream);
        expect(read.data).toEqual({ at: '2025-01-02T03:04:05.000Z', nested: { list: [1, 2] } });
      });
    });

    describe('expected revisions', () => {
      it('no_stream fails on an existing stream, reporting its revision, and writes nothing', async () => {
        const stream = newStream();
        await store.appendToStream(stream, [event('A')], { expectedRevision: 'no_stream' });
        const error = await rejection(store.appendToStream(stream, [event('B')], { expectedRevision: 'no_stream' }));
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect(error).toMatchObject({ streamName: stream, expectedRevision: 'no_stream', actualRevision: 0 });
        expect(await store.streamRevision(stream)).toBe(0);
      });

      it('stream_exists fails on a missing stream and passes on an existing one', async () => {
        const stream = newStream();
        const error = await rejection(
          store.appendToStream(stream, [event('A')], { expectedRevision: 'stream_exists' }),
        );
        expect(error).toMatchObject({ actualRevision: undefined, code: 'EVENT_STORE.WRONG_EXPECTED_VERSION' });
        await store.appendToStream(stream, [event('A')]);
        const result = await store.appendToStream(stream, [event('B')], { expectedRevision: 'stream_exists' });
        expect(result.nextExpectedRevision).toBe(1);
      });

      it('a number must equal the last revision', async () => {
        const stream = newStream();
        const { nextExpectedRevision } = await store.appendToStream(stream, [event('A'), event('B')]);
        const stale = await rejection(store.appendToStream(stream, [event('C')], { expectedRevision: 0 }));
        expect(stale).toMatchObject({ expectedRevision: 0, actualRevision: 1 });
        const result = await store.appendToStream(stream, [event('C')], { expectedRevision: nextExpectedRevision });
        expect(result.nextExpectedRevision).toBe(2);
        expect((await store.readStream(stream)).map((e) => e.type)).toEqual(['A', 'B', 'C']);
      });

      it('any appends whatever the stream holds', async () => {
        const stream = newStream();
        await store.appendToStream(stream, [event('A')], { expectedRevision: 'any' });
        const result = await store.appendToStream(stream, [event('B')], { expectedRevision: 'any' });
        expect(result.nextExpectedRevision).toBe(1);
      });

      it('appending no events only checks the expected revision', async () => {
        const stream = newStream();
        expect(await store.appendToStream(stream, [], { expectedRevision: 'no_stream' })).toMatchObject({
          nextExpectedRevision: -1,
        });
        expect(await store.streamRevision(stream)).toBeUndefined();
        await expect(store.appendToStream(stream, [], { expectedRevision: 0 })).rejects.toBeInstanceOf(
          WrongExpectedVersionError,
        );
      });
    });

    describe('idempotency by event id', () => {
      it('treats a repeated append of the same event ids as done, returning the first result', async () => {
        const stream = newStream();
        const events = [
          { ...event('A'), id: randomUUID() },
          { ...event('B'), id: randomUUID() },
        ];
        const first = await store.appendToStream(stream, events, { expectedRevision: 'no_stream' });
        const again = await store.appendToStream(stream, events, { expectedRevision: 'no_stream' });
        expect(again).toEqual(first);
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('refuses an event id already stored in another stream', async () => {
        const reused = { ...event('A'), id: randomUUID() };
        await store.appendToStream(newStream(), [reused]);
        const other = newStream();
        await expect(store.appendToStream(other, [reused])).rejects.toBeInstanceOf(WrongExpectedVersionError);
        expect(await store.streamRevision(other)).toBeUndefined();
      });
    });

    describe('appendToStreams', () => {
      it('appends to many streams and returns the results in input order', async () => {
        const existing = newStream();
        await store.appendToStream(existing, [event('A')]);
        const fresh = newStream('invoice');
        const results = await store.appendToStreams([
          { streamName: fresh, events: [event('X'), event('Y')], expectedRevision: 'no_stream' },
          { streamName: existing, events: [event('B')], expectedRevision: 0 },
        ]);
        expect(results.map((r) => r.nextExpectedRevision)).toEqual([1, 1]);
        expect((await store.readStream(fresh)).map((e) => e.type)).toEqual(['X', 'Y']);
        expect((await store.readStream(existing)).map((e) => e.type)).toEqual(['A', 'B']);
        const [lastOfFresh] = await store.readStream(fresh, { fromRevision: 1 });
        expect(results[0].position).toBe(lastOfFresh.position);
      });

      it('is all or nothing: one failing expected revision writes no stream', async () => {
        const existing = newStream();
        await store.appendToStream(existing, [event('A')]);
        const fresh = newStream();
        const error = await rejection(
          store.appendToStreams([
            { streamName: fresh, events: [event('X')], expectedRevision: 'no_stream' },
            { streamName: existing, events: [event('B')], expectedRevision: 'no_stream' },
          ]),
        );
        expect(error).toMatchObject({ streamName: existing, actualRevision: 0 });
        expect(await store.streamRevision(fresh)).toBeUndefined();
        expect(await store.streamRevision(existing)).toBe(0);
      });

      it('rejects the same stream twice in one call', async () => {
        const stream = newStream();
        await expect(
          store.appendToStreams([
            { streamName: stream, events: [event('A')] },
            { streamName: stream, events: [event('B')] },
          ]),
        ).rejects.toThrow(/more than once/);
        expect(await store.streamRevision(stream)).toBeUndefined();
      });
    });

    describeEventSizeContract(() => store);

    describe('snapshots', () => {
      it('has none for a new stream, then returns the latest saved', async () => {
        const stream = newStream();
        expect(await store.readSnapshot(stream)).toBeUndefined();
        await store.saveSnapshot(stream, { revision: 4, state: { count: 5 } });
        await store.saveSnapshot(stream, { revision: 9, state: { count: 10 } });
        expect(await store.readSnapshot(stream)).toEqual({ revision: 9, state: { count: 10 } });
      });

      it('ignores a snapshot older than the stored one', async () => {
        const stream = newStream();
        await store.saveSnapshot(stream, { revision: 9, state: { count: 10 } });
        await store.saveSnapshot(stream, { revision: 4, state: { count: 5 } });
        expect(await store.readSnapshot(stream)).toEqual({ revision: 9, state: { count: 10 } });
      });
    });
  });
}
