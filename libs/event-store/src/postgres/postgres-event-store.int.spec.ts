import { eventually } from '@fleetwave/testing';
import { uniqueName } from '../testing/test-environment';
import pg from 'pg';
import { type SqlExecutor, WrongExpectedVersionError } from '../event-store.port';
import { describeEventStoreContract } from '../testing/event-store.contract';
import {
  createTestPool,
  freshPostgresStore,
  openTransaction,
  type PostgresStoreFixture,
} from '../testing/postgres-store.fixture';
import { PostgresEventStore } from './postgres-event-store.adapter';

const pool = createTestPool();
afterAll(() => pool.end());

describeEventStoreContract('PostgresEventStore', () => freshPostgresStore(pool));

describe('PostgresEventStore on Postgres', () => {
  let fixture: PostgresStoreFixture;
  let store: PostgresEventStore;
  beforeEach(async () => {
    fixture = await freshPostgresStore(pool);
    store = fixture.store;
  });
  afterEach(() => fixture.dispose());

  const event = (type: string) => ({ type, data: {} });
  const outcome = (promise: Promise<unknown>): Promise<unknown> =>
    promise.then(
      (value) => value,
      (error) => error,
    );
  const types = async (stream: string) => (await store.readStream(stream)).map((e) => e.type);
  const waitingOnLocks = async (): Promise<number> => {
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1`,
      [`%${fixture.schema}%`],
    );
    return rows[0].n;
  };

  it('migrates idempotently, also when replicas migrate at once', async () => {
    const schema = uniqueName('es');
    const replicas = Array.from({ length: 5 }, () => new PostgresEventStore(pool, schema));
    try {
      await Promise.all(replicas.map((replica) => replica.migrate()));
      await replicas[0].migrate();
      await replicas[1].appendToStream('order-1', [event('A')]);
      expect((await replicas[2].readStream('order-1')).map((e) => e.type)).toEqual(['A']);
    } finally {
      await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
    }
  });

  it('lets exactly one of two appends expecting the same revision win; the loser waits, then fails typed', async () => {
    const stream = 'order-1';
    await store.appendToStream(stream, [event('A')]);
    const first = await openTransaction(pool);
    await store.appendToStream(stream, [event('B1')], { expectedRevision: 0, tx: first });
    const second = outcome(store.appendToStream(stream, [event('B2')], { expectedRevision: 0 }));
    await eventually(async () => expect(await waitingOnLocks()).toBe(1), { description: 'second append waits' });
    await first.query('COMMIT');
    first.release();
    expect(await second).toBeInstanceOf(WrongExpectedVersionError);
    expect(await second).toMatchObject({ expectedRevision: 0, actualRevision: 1 });
    expect(await types(stream)).toEqual(['A', 'B1']);
  });

  it('lets the unique (stream, revision) constraint arbitrate two creations of the same stream', async () => {
    const stream = 'order-2';
    const first = await openTransaction(pool);
    await store.appendToStream(stream, [event('A1')], { expectedRevision: 'no_stream', tx: first });
    const second = outcome(store.appendToStream(stream, [event('A2')], { expectedRevision: 'no_stream' }));
    await eventually(async () => expect(await waitingOnLocks()).toBe(1), { description: 'second append waits' });
    await first.query('COMMIT');
    first.release();
    expect(await second).toMatchObject({ name: 'WrongExpectedVersionError', actualRevision: 0 });
    expect(await types(stream)).toEqual(['A1']);
  });

  it('under a race of ten appends expecting revision 0, accepts exactly one', async () => {
    const stream = 'order-3';
    await store.appendToStream(stream, [event('A')]);
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        outcome(store.appendToStream(stream, [event(`B${i}`)], { expectedRevision: 0 })),
      ),
    );
    expect(outcomes.filter((o) => o instanceof WrongExpectedVersionError)).toHaveLength(9);
    expect(await store.streamRevision(stream)).toBe(1);
  });

  it('appends 20,000 one-event streams in one transaction with a constant number of statements', async () => {
    const appends = Array.from({ length: 20_000 }, (_, i) => ({
      streamName: `device-${i}`,
      events: [{ type: 'DeviceRegistered.v1', data: { i } }],
      expectedRevision: 'no_stream' as const,
    }));
    const client = await openTransaction(pool);
    let statements = 0;
    const tx = {
      query: (text: string, params?: unknown[]) => {
        statements++;
        return client.query(text, params);
      },
    } as SqlExecutor;
    const startedAt = Date.now();
    const results = await store.appendToStreams(appends, { tx });
    await client.query('COMMIT');
    client.release();
    expect(Date.now() - startedAt).toBeLessThan(20_000);
    expect(statements).toBeLessThanOrEqual(3);
    expect(results).toHaveLength(20_000);
    expect(results.every((r) => r.nextExpectedRevision === 0)).toBe(true);
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${fixture.schema}".events`);
    expect(rows[0].n).toBe(20_000);
    expect(await store.readStream('device-19999')).toMatchObject([
      { data: { i: 19_999 }, position: results[19_999].position },
    ]);
  });

  it('stores names, types and payloads with quotes, backslashes, separators and newlines as given', async () => {
    const awkward = 'say "hi", {a\\b}\nnext line ✓';
    const appends = [
      { streamName: 'odd-"quoted",{name}\\', events: [{ type: `Odd.v1 ${awkward}`, data: { text: awkward } }] },
      {
        streamName: 'odd-plain',
        events: [
          { type: 'Plain.v1', data: [awkward, null, 1.5], metadata: { note: awkward } },
          { type: 'Plain.v1', data: 'just a string' },
        ],
      },
    ];
    await store.appendToStreams(appends);
    const [odd] = await store.readStream(appends[0].streamName);
    expect(odd).toMatchObject({ type: `Odd.v1 ${awkward}`, data: { text: awkward }, revision: 0 });
    const plain = await store.readStream('odd-plain');
    expect(plain.map((e) => [e.revision, e.data])).toEqual([
      [0, [awkward, null, 1.5]],
      [1, 'just a string'],
    ]);
    expect(plain[0].metadata).toEqual({ note: awkward });
    expect(plain[1].position).toBeGreaterThan(plain[0].position);
  });

  it('gives events without a writer-supplied id time-ordered ids (UUIDv7), in append order', async () => {
    const results = await store.appendToStreams(
      Array.from({ length: 50 }, (_, i) => ({ streamName: `ids-${i}`, events: [event('A'), event('B')] })),
    );
    const { rows } = await pool.query<{ event_id: string }>(
      `SELECT event_id FROM "${fixture.schema}".events ORDER BY position`,
    );
    const ids = rows.map((row) => row.event_id);
    expect(ids).toHaveLength(100);
    expect(ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-7/.test(id))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(results.map((r) => r.nextExpectedRevision)).toEqual(Array.from({ length: 50 }, () => 1));
  });

  it('upgrades a streams table created before it had room for in-place updates', async () => {
    await pool.query(`ALTER TABLE "${fixture.schema}".streams RESET (fillfactor)`);
    await store.appendToStream('old-1', [event('A')]);
    await store.migrate();
    await store.migrate();
    const { rows } = await pool.query<{ reloptions: string[] | null }>(
      `SELECT reloptions FROM pg_class WHERE oid = '"${fixture.schema}".streams'::regclass`,
    );
    expect(rows[0].reloptions).toContain('fillfactor=50');
    await store.appendToStream('old-1', [event('B')], { expectedRevision: 0 });
    expect(await types('old-1')).toEqual(['A', 'B']);
  });

  it("joins the caller's transaction: rolled back with it, committed with it", async () => {
    const rolledBack = await openTransaction(pool);
    await store.appendToStream('order-4', [event('A')], { tx: rolledBack });
    await rolledBack.query('ROLLBACK');
    rolledBack.release();
    expect(await store.streamRevision('order-4')).toBeUndefined();

    const committed = await openTransaction(pool);
    await store.appendToStreams([{ streamName: 'order-4', events: [event('B')] }], { tx: committed });
    expect(await store.streamRevision('order-4')).toBeUndefined();
    await committed.query('COMMIT');
    committed.release();
    expect(await types('order-4')).toEqual(['B']);
  });

  it('refuses an append that would break stream order: a transaction older than the last writer', async () => {
    await store.appendToStream('order-5', [event('A')]);
    const older = await openTransaction(pool);
    await older.query('SELECT pg_current_xact_id()'); // takes its xid before the next writer
    await store.appendToStream('order-5', [event('B')]);
    const refused = await outcome(store.appendToStream('order-5', [event('C')], { tx: older }));
    await older.query('ROLLBACK');
    older.release();
    expect(refused).toBeInstanceOf(WrongExpectedVersionError);
    expect((refused as WrongExpectedVersionError).reason).toMatch(/began after this one/);
    await store.appendToStream('order-5', [event('C')]);
    expect(await types('order-5')).toEqual(['A', 'B', 'C']);
  });

  it('notifies <schema>_events when an append commits', async () => {
    const listener = new pg.Client(pool.options);
    const channels: string[] = [];
    listener.on('notification', (message) => channels.push(message.channel));
    await listener.connect();
    try {
      await listener.query(`LISTEN "${fixture.schema}_events"`);
      await store.appendToStream('order-6', [event('A')]);
      await eventually(() => expect(channels).toEqual([`${fixture.schema}_events`]), { timeoutMs: 5_000 });
    } finally {
      await listener.end();
    }
  });
});
