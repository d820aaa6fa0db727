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
