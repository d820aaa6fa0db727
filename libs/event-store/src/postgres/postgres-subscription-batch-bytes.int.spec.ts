import type { RecordedEvent } from '@fleetwave/contracts';
import type { Subscription } from '../event-subscription.port';
import { eventually } from '@fleetwave/testing';
import {
  commitOrder,
  createTestPool,
  deliveryBound,
  freshPostgresStore,
  type PostgresStoreFixture,
} from '../testing/postgres-store.fixture';

const pool = createTestPool();
afterAll(() => pool.end());

const relayedBytes = ({ type, data, metadata }: RecordedEvent): number =>
  Buffer.byteLength(JSON.stringify({ type, data, metadata }));

describe('PostgresEventStore subscriptions: batches bounded by bytes', () => {
  let fixture: PostgresStoreFixture;
  const running: Subscription[] = [];
  beforeEach(async () => {
    fixture = await freshPostgresStore(pool);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((subscription) => subscription.stop()));
    await fixture.dispose();
  });

  const collectBatches = async (maxBatchBytes: number): Promise<RecordedEvent[][]> => {
    const batches: RecordedEvent[][] = [];
    const subscription = fixture.store.subscribe({
      subscriptionId: 'sized',
      maxBatchBytes,
      handler: async (events) => void batches.push(events),
    });
    await subscription.start();
    running.push(subscription);
    return batches;
  };

  const appendLarge = async (count: number, blobBytes: number): Promise<void> => {
    for (let i = 0; i < count; i += 10) {
      const events = Array.from({ length: 10 }, (_, j) => ({
        type: 'Chunked.v1',
        data: { i: i + j, blob: 'x'.repeat(blobBytes) },
      }));
      await fixture.store.appendToStream(`chunk-${i % 20 === 0 ? 'a' : 'b'}`, events);
    }
  };

  it('splits a backlog of large events into batches under the bound, delivering all in commit order', async () => {
    await appendLarge(60, 50_000);
    const batches = await collectBatches(200_000);
    await eventually(() => expect(batches.flat()).toHaveLength(60), deliveryBound);
    for (const batch of batches) {
      expect(batch.reduce((sum, event) => sum + relayedBytes(event), 0)).toBeLessThanOrEqual(200_000);
    }
    expect(batches.length).toBeGreaterThanOrEqual(15);
    expect(batches.flat().map((e) => e.id)).toEqual(await commitOrder(pool, fixture.schema));
  });

  it('delivers an event larger than the bound on its own and carries on', async () => {
    await fixture.store.appendToStream('chunk-a', [{ type: 'Small.v1', data: { n: 1 } }]);
    await fixture.store.appendToStream('chunk-a', [{ type: 'Large.v1', data: { blob: 'x'.repeat(30_000) } }]);
    await fixture.store.appendToStream('chunk-a', [{ type: 'Small.v1', data: { n: 2 } }]);
    const batches = await collectBatches(10_000);
    await eventually(() => expect(batches.flat()).toHaveLength(3), deliveryBound);
    expect(batches.map((batch) => batch.map((e) => e.type))).toEqual([['Small.v1'], ['Large.v1'], ['Small.v1']]);
  });

  it('measures events stored without a recorded size', async () => {
    await appendLarge(20, 50_000);
    await pool.query(`UPDATE "${fixture.schema}".events SET payload_bytes = NULL`);
    const batches = await collectBatches(120_000);
    await eventually(() => expect(batches.flat()).toHaveLength(20), deliveryBound);
    expect(batches.every((batch) => batch.length <= 2)).toBe(true);
  });
});
