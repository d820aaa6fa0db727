import { UpcasterRegistry } from '@fleetwave/contracts';
import { describeEventStoreContract } from '../testing/event-store.contract';
import { InMemoryEventStore } from './in-memory-event-store.adapter';

describeEventStoreContract('InMemoryEventStore', async () => ({ store: new InMemoryEventStore() }));

describe('InMemoryEventStore', () => {
  it('stamps events with the injected clock', async () => {
    const now = new Date('2025-06-01T12:00:00.000Z');
    const store = new InMemoryEventStore(() => now);
    await store.appendToStream('order-1', [{ type: 'OrderPlaced.v1', data: {} }]);
    const [event] = await store.readStream('order-1');
    expect(event.createdAt).toEqual(now);
  });
});

describe('InMemoryEventStore maxEventBytes', () => {
  it('applies a configured maximum instead of the default', async () => {
    const store = new InMemoryEventStore(undefined, { maxEventBytes: 1_000 });
    await store.appendToStream('order-1', [{ type: 'Small.v1', data: { note: 'x'.repeat(900) } }]);
    await expect(
      store.appendToStream('order-1', [{ type: 'Big.v1', data: { note: 'x'.repeat(1_000) } }]),
    ).rejects.toMatchObject({ code: 'EVENT_STORE.EVENT_TOO_LARGE', maxEventBytes: 1_000, streamName: 'order-1' });
    expect(await store.streamRevision('order-1')).toBe(0);
  });

  it('refuses a maximum that is not a positive integer', () => {
    expect(() => new InMemoryEventStore(undefined, { maxEventBytes: 0 })).toThrow(/maxEventBytes/);
  });
});

describe('InMemoryEventStore upcast', () => {
  it('hands readers the current version of an old event', async () => {
    const upcasters = new UpcasterRegistry().register<{ n: number }>('Counted.v1', 'Counted.v2', ({ n }) => ({
      count: n,
    }));
    const store = new InMemoryEventStore(undefined, { upcast: upcasters.upcast });
    await store.appendToStream('order-1', [{ type: 'Counted.v1', data: { n: 3 } }]);
    const [event] = await store.readStream('order-1');
    expect(event).toMatchObject({ type: 'Counted.v2', data: { count: 3 }, revision: 0, streamName: 'order-1' });
  });
});
