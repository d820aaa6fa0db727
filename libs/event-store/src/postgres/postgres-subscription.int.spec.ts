import { eventually } from '@fleetwave/testing';
import type { RecordedEvent } from '@fleetwave/contracts';
import type { Subscription, SubscriptionOptions } from '../event-subscription.port';
import {
  commitOrder,
  createTestPool,
  deliveryBound,
  openTransaction,
  freshPostgresStore,
  type PostgresStoreFixture,
} from '../testing/postgres-store.fixture';
import { PostgresEventStore } from './postgres-event-store.adapter';

const pool = createTestPool();
// The subscriber's own pool, so that its passes can be counted (one checkout per pass).
const subscriberPool = createTestPool(5);
afterAll(async () => {
  await pool.end();
  await subscriberPool.end();
});

describe('PostgresEventStore subscriptions: order and gap safety', () => {
  let fixture: PostgresStoreFixture;
  let store: PostgresEventStore;
  const running: Subscription[] = [];
  beforeEach(async () => {
    fixture = await freshPostgresStore(pool);
    store = fixture.store;
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((subscription) => subscription.stop()));
    await fixture.dispose();
  });

  /** Starts a subscription that records what it is given. */
  const collect = async (on: PostgresEventStore, options: Partial<SubscriptionOptions> = {}) => {
    const delivered: RecordedEvent[] = [];
    const subscription = on.subscribe({
      subscriptionId: 'collector',
      handler: async (events) => {
        delivered.push(...events);
      },
      ...options,
    });
    await subscription.start();
    running.push(subscription);
    return { delivered, subscription };
  };

  it('delivers the events of 8 concurrent writers × 1,000 exactly once, in (tx_id, position) order', async () => {
    // Effects are written in the handler's transaction, as a projection does: that is what
    // "exactly once" promises (an in-memory effect would repeat after a rolled-back pass).
    await pool.query(
      `CREATE TABLE "${fixture.schema}".effects (seq bigserial PRIMARY KEY, event_id uuid NOT NULL, stream_name text, revision int)`,
    );
    const subscription = store.subscribe({
      subscriptionId: 'collector',
      batchSize: 250,
      handler: async (events, tx) => {
        await tx.query(
          `INSERT INTO "${fixture.schema}".effects (event_id, stream_name, revision)
           SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[])`,
          [events.map((e) => e.id), events.map((e) => e.streamName), events.map((e) => e.revision)],
        );
      },
    });
    await subscription.start();
    running.push(subscription);
    const writers = Array.from({ length: 8 }, async (_, writer) => {
      for (let i = 0; i < 1_000; i++) {
        // Writers share streams, so appends to one stream contend across writers.
        await store.appendToStream(`load-${(writer + i) % 16}`, [{ type: 'Loaded.v1', data: { writer, i } }]);
      }
    });
    await Promise.all(writers);
    const effects = async () =>
      (
        await pool.query<{ event_id: string; stream_name: string; revision: number }>(
          `SELECT event_id, stream_name, revision FROM "${fixture.schema}".effects ORDER BY seq`,
        )
      ).rows;
    await eventually(async () => expect((await effects()).length).toBeGreaterThanOrEqual(8_000), { timeoutMs: 60_000 });
    await subscription.stop();

    const delivered = await effects();
    // Passes that failed and were retried (logged) are worth seeing when this assertion fails.
    expect({ delivered: delivered.length, errors: fixture.logger.errors }).toEqual({
      delivered: 8_000,
      errors: expect.any(Array),
    });
    expect(new Set(delivered.map((e) => e.event_id)).size).toBe(8_000);
    expect(delivered.map((e) => e.event_id)).toEqual(await commitOrder(pool, fixture.schema));
    const revisionsByStream = new Map<string, number[]>();
    for (const e of delivered)
      revisionsByStream.set(e.stream_name, [...(revisionsByStream.get(e.stream_name) ?? []), e.revision]);
    for (const revisions of revisionsByStream.values()) expect(revisions).toEqual(revisions.map((_, i) => i));
  });

  it('orders transaction ids as numbers across a digit boundary (99 before 100), never skipping one', async () => {
    // Events written with explicit, long-finished transaction ids: 99 and 100 sort differently as text.
    await pool.query(
      `INSERT INTO "${fixture.schema}".events (stream_name, revision, event_id, type, data, tx_id)
       VALUES ('edge-a', 0, gen_random_uuid(), 'Edge.v1', '{"tx":100}', '100'),
              ('edge-b', 0, gen_random_uuid(), 'Edge.v1', '{"tx":101}', '101'),
              ('edge-c', 0, gen_random_uuid(), 'Edge.v1', '{"tx":99}', '99')`,
    );
    const { delivered } = await collect(store, { batchSize: 1 });
    await eventually(() => expect(delivered).toHaveLength(3), deliveryBound);
    expect(delivered.map((e) => (e.data as { tx: number }).tx)).toEqual([99, 100, 101]);
  });

  it('holds back a committed event while an earlier transaction is open, then delivers both in tx_id order', async () => {
    const subscriberStore = new PostgresEventStore(subscriberPool, fixture.schema, { logger: fixture.logger });
    let passes = 0;
    subscriberPool.on('acquire', () => passes++);
    const { delivered } = await collect(subscriberStore);

    const slow = await openTransaction(pool);
    await store.appendToStream('late-a', [{ type: 'A', data: {} }], { tx: slow }); // lower xid and position
    await store.appendToStream('late-b', [{ type: 'B', data: {} }]); // commits first
    const passesAfterCommitOfB = passes;
    await eventually(() => expect(passes).toBeGreaterThanOrEqual(passesAfterCommitOfB + 3), {
      description: 'the subscriber looked again after B committed',
    });
    expect(delivered).toEqual([]);

    await slow.query('COMMIT');
    slow.release();
    await eventually(() => expect(delivered.map((e) => e.type)).toEqual(['A', 'B']), deliveryBound);
    const { rows } = await pool.query<{ type: string; tx_id: string; position: string }>(
      `SELECT type, tx_id::text, position FROM "${fixture.schema}".events ORDER BY type`,
    );
    expect(BigInt(rows[0].tx_id)).toBeLessThan(BigInt(rows[1].tx_id));
    expect(BigInt(rows[0].position)).toBeLessThan(BigInt(rows[1].position));
    subscriberPool.removeAllListeners('acquire');
  });

  it('orders by transaction id, not position: an earlier transaction writing later still comes first', async () => {
    const { delivered } = await collect(store);
    const early = await openTransaction(pool);
    await early.query('SELECT pg_current_xact_id()');
    await store.appendToStream('tx-b', [{ type: 'B', data: {} }]);
    await store.appendToStream('tx-a', [{ type: 'A', data: {} }], { tx: early }); // higher position
    await early.query('COMMIT');
    early.release();
    await eventually(() => expect(delivered.map((e) => e.type)).toEqual(['A', 'B']), deliveryBound);
    expect(delivered[0].position).toBeGreaterThan(delivered[1].position);
  });

  it('delivers only the subscribed categories (the stream-name prefix before the first "-")', async () => {
    const { delivered } = await collect(store, { categories: ['rollout', 'group'] });
    for (const stream of ['rollout-42', 'rollout-42-membership', 'rollouts-1', 'action-7', 'group-3', 'rollout']) {
      await store.appendToStream(stream, [{ type: 'E', data: {} }]);
    }
    await store.appendToStream('group-3', [{ type: 'Last', data: {} }]);
    await eventually(() => expect(delivered.at(-1)?.type).toBe('Last'), deliveryBound);
    expect(delivered.map((e) => e.streamName)).toEqual([
      'rollout-42',
      'rollout-42-membership',
      'group-3',
      'rollout',
      'group-3',
    ]);
  });
});
