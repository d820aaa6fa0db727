import { eventually } from '@fleetwave/testing';
import type { RecordedEvent } from '@fleetwave/contracts';
import type { SqlExecutor } from '../event-store.port';
import type { Subscription, SubscriptionOptions } from '../event-subscription.port';
import {
  commitOrder,
  createTestPool,
  deliveryBound,
  freshPostgresStore,
  type PostgresStoreFixture,
} from '../testing/postgres-store.fixture';
import type { PostgresEventStore } from './postgres-event-store.adapter';

const pool = createTestPool();
afterAll(() => pool.end());

describe('PostgresEventStore subscriptions: checkpoints and recovery', () => {
  let fixture: PostgresStoreFixture;
  let store: PostgresEventStore;
  const running: Subscription[] = [];
  beforeEach(async () => {
    fixture = await freshPostgresStore(pool);
    store = fixture.store;
    // Effects written by handlers in the checkpoint's transaction; seq records their order.
    await pool.query(`CREATE TABLE "${fixture.schema}".effects (seq bigserial, event_id uuid NOT NULL)`);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((subscription) => subscription.stop()));
    await fixture.dispose();
  });

  const start = async (options: Partial<SubscriptionOptions> & Pick<SubscriptionOptions, 'handler'>) => {
    const subscription = store.subscribe({ subscriptionId: 'projector', ...options });
    await subscription.start();
    running.push(subscription);
    return subscription;
  };
  const recordEffects = async (events: RecordedEvent[], tx: SqlExecutor): Promise<void> => {
    await tx.query(`INSERT INTO "${fixture.schema}".effects (event_id) SELECT unnest($1::uuid[])`, [
      events.map((e) => e.id),
    ]);
  };
  const effects = async (): Promise<string[]> =>
    (await pool.query<{ event_id: string }>(`SELECT event_id FROM "${fixture.schema}".effects ORDER BY seq`)).rows.map(
      (row) => row.event_id,
    );
  /** `transactions` appends of `perAppend` events each, spread over a few streams. */
  const appendMany = async (transactions: number, perAppend: number, tag: string) => {
    for (let t = 0; t < transactions; t++) {
      const events = Array.from({ length: perAppend }, (_, i) => ({ type: 'Counted.v1', data: { tag, t, i } }));
      await store.appendToStream(`counter-${t % 7}`, events);
    }
  };

  it('resumes from its checkpoint after a stop mid-stream: every effect exactly once, in commit order', async () => {
    await appendMany(30, 10, 'before');
    let batches = 0;
    let releaseFifthBatch = (): void => undefined;
    const fifthBatchHeld = new Promise<void>((resolve) => (releaseFifthBatch = resolve));
    const first = await start({
      batchSize: 10,
      handler: async (events, tx) => {
        await recordEffects(events, tx);
        if (++batches === 5) await fifthBatchHeld;
      },
    });
    await eventually(() => expect(batches).toBe(5), { description: 'fifth batch in flight' });
    const stopping = first.stop();
    releaseFifthBatch();
    await stopping;
    expect(await effects()).toHaveLength(50); // stop waited for the in-flight batch, then stopped

    await appendMany(10, 10, 'while-stopped');
    await start({ batchSize: 10, handler: recordEffects });
    const all = await commitOrder(pool, fixture.schema);
    expect(all).toHaveLength(400);
    await eventually(async () => expect(await effects()).toHaveLength(400), deliveryBound);
    expect(await effects()).toEqual(all);
  });

  it('rolls a failing batch back and retries it, never skipping it', async () => {
    await appendMany(5, 4, 'x');
    const poisoned = (await commitOrder(pool, fixture.schema))[9];
    const attempts = new Map<string, number>();
    await start({
      batchSize: 4,
      handler: async (events, tx) => {
        await recordEffects(events, tx);
        for (const { id } of events) attempts.set(id, (attempts.get(id) ?? 0) + 1);
        if (events.some((e) => e.id === poisoned) && attempts.get(poisoned) === 1) throw new Error('projection bug');
      },
    });
    await eventually(async () => expect(await effects()).toHaveLength(20), deliveryBound);
    expect(await effects()).toEqual(await commitOrder(pool, fixture.schema));
    expect(attempts.get(poisoned)).toBe(2);
    expect(fixture.logger.errors).toEqual([expect.stringMatching(/subscription projector: batch rolled back/)]);
  });

  it('never lets two instances of one subscription process at the same time', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    const handler: SubscriptionOptions['handler'] = async (events, tx) => {
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5)); // widen the window an overlap would need
      await recordEffects(events, tx);
      inFlight--;
    };
    await start({ batchSize: 5, handler, safetyPollMs: 50 });
    await start({ batchSize: 5, handler, safetyPollMs: 50 });
    await appendMany(40, 5, 'y');
    await eventually(async () => expect(await effects()).toHaveLength(200), { timeoutMs: 30_000 });
    expect(mostInFlight).toBe(1);
    expect(await effects()).toEqual(await commitOrder(pool, fixture.schema));
  });

  it('polls slowly when a notification is lost', async () => {
    const delivered: string[] = [];
    await start({ safetyPollMs: 300, handler: async (events) => void delivered.push(...events.map((e) => e.id)) });
    const { position } = await store.appendToStream('loud-1', [{ type: 'Loud.v1', data: {} }]);
    await eventually(() => expect(delivered).toHaveLength(1)); // caught up: now only a poll can find more
    delivered.length = 0;
    // Written behind the store's back, so nobody notifies.
    const { rows } = await pool.query<{ event_id: string }>(
      `INSERT INTO "${fixture.schema}".events (stream_name, revision, event_id, type, data)
       VALUES ('silent-1', 0, gen_random_uuid(), 'Silent.v1', '{}') RETURNING event_id`,
    );
    await eventually(() => expect(delivered).toEqual([rows[0].event_id]), deliveryBound);
    expect(position).toBe(1n);
  });

  it('reconnects its LISTEN connection after the backend dies, logging it, and is woken again', async () => {
    const delivered: string[] = [];
    // No safety poll within the test's bounds: only a notification can deliver in time.
    await start({
      safetyPollMs: 600_000,
      handler: async (events) => void delivered.push(...events.map((e) => e.type)),
    });
    const listenerPids = async (): Promise<number[]> =>
      (
        await pool.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE query = $1`, [
          `LISTEN "${fixture.schema}_events"`,
        ])
      ).rows.map((row) => row.pid);
    const [killed] = await listenerPids();
    expect(killed).toBeDefined();
    await pool.query('SELECT pg_terminate_backend($1)', [killed]);

    await eventually(() => expect(fixture.logger.warnings.join()).toMatch(/LISTEN .* connection lost/));
    await eventually(async () => expect((await listenerPids()).filter((pid) => pid !== killed)).toHaveLength(1));
    await store.appendToStream('wake-1', [{ type: 'AfterReconnect.v1', data: {} }]);
    await eventually(() => expect(delivered).toEqual(['AfterReconnect.v1']), deliveryBound);
  });
});
