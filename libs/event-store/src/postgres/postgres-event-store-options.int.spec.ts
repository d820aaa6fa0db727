import { UpcasterRegistry, type RecordedEvent } from '@fleetwave/contracts';
import { EventTooLargeError } from '../event-store.port';
import type { Subscription } from '../event-subscription.port';
import { eventually } from '@fleetwave/testing';
import {
  createTestPool,
  deliveryBound,
  freshPostgresStore,
  RecordingLogger,
  type PostgresStoreFixture,
} from '../testing/postgres-store.fixture';
import { PostgresEventStore } from './postgres-event-store.adapter';

const pool = createTestPool();
afterAll(() => pool.end());

describe('PostgresEventStore options and the payload size column', () => {
  let fixture: PostgresStoreFixture;
  const running: Subscription[] = [];
  beforeEach(async () => {
    fixture = await freshPostgresStore(pool);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((subscription) => subscription.stop()));
    await fixture.dispose();
  });

  const storeWith = (options: ConstructorParameters<typeof PostgresEventStore>[2]): PostgresEventStore =>
    new PostgresEventStore(pool, fixture.schema, { logger: new RecordingLogger(), ...options });

  it('upcasts what readStream and subscriptions hand out; the stored event stays as written', async () => {
    const upcasters = new UpcasterRegistry().register<{ n: number }>('Counted.v1', 'Counted.v2', ({ n }) => ({
      count: n,
    }));
    const store = storeWith({ upcast: upcasters.upcast });
    await store.appendToStream('counter-1', [{ type: 'Counted.v1', data: { n: 3 } }]);

    expect(await store.readStream('counter-1')).toMatchObject([{ type: 'Counted.v2', data: { count: 3 } }]);
    const delivered: RecordedEvent[] = [];
    const subscription = store.subscribe({ subscriptionId: 'upcast', handler: async (e) => void delivered.push(...e) });
    await subscription.start();
    running.push(subscription);
    await eventually(
      () => expect(delivered).toMatchObject([{ type: 'Counted.v2', data: { count: 3 } }]),
      deliveryBound,
    );
    expect(await fixture.store.readStream('counter-1')).toMatchObject([{ type: 'Counted.v1', data: { n: 3 } }]);
  });

  it('applies a configured maximum event size', async () => {
    const store = storeWith({ maxEventBytes: 2_000 });
    await store.appendToStream('note-1', [{ type: 'Noted.v1', data: { text: 'x'.repeat(1_900) } }]);
    await expect(
      store.appendToStream('note-1', [{ type: 'Noted.v1', data: { text: 'x'.repeat(2_000) } }]),
    ).rejects.toBeInstanceOf(EventTooLargeError);
    expect(() => storeWith({ maxEventBytes: -1 })).toThrow(/maxEventBytes/);
  });

  it('records each event’s serialized size with it', async () => {
    const data = { text: 'é'.repeat(100) };
    await fixture.store.appendToStream('note-1', [{ type: 'Noted.v1', data }]);
    const { rows } = await pool.query<{ payload_bytes: number }>(
      `SELECT payload_bytes FROM "${fixture.schema}".events WHERE stream_name = 'note-1'`,
    );
    expect(rows).toEqual([
      { payload_bytes: Buffer.byteLength(JSON.stringify({ type: 'Noted.v1', data, metadata: {} })) },
    ]);
  });

  it('adds the size column to an events table created before it existed', async () => {
    await pool.query(`ALTER TABLE "${fixture.schema}".events DROP COLUMN payload_bytes`);
    await pool.query(
      `INSERT INTO "${fixture.schema}".events (stream_name, revision, event_id, type, data)
       VALUES ('old-1', 0, gen_random_uuid(), 'Old.v1', '{}')`,
    );
    await fixture.store.migrate();
    await fixture.store.appendToStream('new-1', [{ type: 'New.v1', data: {} }]);
    const { rows } = await pool.query<{ stream_name: string; sized: boolean }>(
      `SELECT stream_name, payload_bytes IS NOT NULL AS sized FROM "${fixture.schema}".events ORDER BY position`,
    );
    expect(rows).toEqual([
      { stream_name: 'old-1', sized: false },
      { stream_name: 'new-1', sized: true },
    ]);
  });
});
