import type { Pool } from 'pg';
import type { BatchItem } from '@fleetwave/messaging';
import { createPool, migrateSchema, withTransaction } from '@fleetwave/platform';
import type { Envelope } from '@fleetwave/service-kit';
import { REPORTING_SCHEMA as S, reportingMigration } from '../rollout-progress/rollout-progress.migration';
import { RolloutProgressProjection } from '../rollout-progress/rollout-progress.projection';
import { createdAndReady, item } from '../rollout-progress/testing/progress-events.fixture';
import { createFreshDatabase, type FreshDatabase } from '../rebuild/testing/fresh-database';
import { ProgressBucketsProjection } from './progress-buckets.projection';
import { ProgressQueries } from './progress.queries';
import { movedAt, scheduledAt, T0 } from './testing/history-events.fixture';

/**
 * The rollup after a rollout's end moves a bounded number of rows per transaction. In a database
 * of its own: a running cluster's consumer would finish the rollup of the shared schema meanwhile.
 */
describe('progress rollup in bounded steps (real Postgres)', () => {
  let database: FreshDatabase;
  let pool: Pool;
  let queries: ProgressQueries;

  beforeAll(async () => {
    database = await createFreshDatabase('reporting_rollup');
    pool = createPool(database.url, 'reporting-rollup-test', 4);
    await migrateSchema(pool, reportingMigration);
    queries = new ProgressQueries(async (sql, params) => (await pool.query(sql, params)).rows);
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  const apply = (projection: { handleBatch: ProgressBucketsProjection['handleBatch'] }, items: BatchItem<Envelope>[]) =>
    withTransaction(pool, (tx) => projection.handleBatch(items, { topic: 'test', partition: 0, tx }));
  const resolutions = async (rolloutId: number) =>
    (
      await pool.query<{ bucket_ms: number }>(
        `select distinct bucket_ms from ${S}.progress_buckets where rollout_id = $1 order by 1`,
        [rolloutId],
      )
    ).rows.map((r) => r.bucket_ms);

  /** Seven 1 s rows: two groups over 10–13 s and 61–62 s. */
  const history = (r: number) => [
    scheduledAt(r, r + 1, 4, T0 + 10_000),
    scheduledAt(r, r + 2, 2, T0 + 10_400),
    ...movedAt(r, r + 1, 4, 'scheduled', 'running', T0 + 11_200),
    ...movedAt(r, r + 1, 2, 'running', 'finished', T0 + 12_500),
    ...movedAt(r, r + 1, 1, 'running', 'error', T0 + 13_900, 3),
    ...movedAt(r, r + 2, 2, 'scheduled', 'running', T0 + 61_000),
    ...movedAt(r, r + 2, 1, 'running', 'canceled', T0 + 62_000),
  ];

  it('leaves the rest for later transactions, reads the same meanwhile, and ends with minute rows only', async () => {
    const [reference, r] = [100, 200];
    const definitions = new RolloutProgressProjection(() => T0);
    for (const [id, projection] of [
      // The reference first: its end would roll up the other one's rows too.
      [reference, new ProgressBucketsProjection()],
      [r, new ProgressBucketsProjection(2)],
    ] as const) {
      await apply(definitions, createdAndReady(id, [4, 2]));
      await apply(projection, history(id));
      await apply(projection, [item('RolloutFinished.v1', { rolloutId: id, finishedAt: T0 + 70_000 })]);
    }
    expect(await resolutions(reference)).toEqual([60_000]);
    expect(await resolutions(r)).toEqual([1_000, 60_000]);
    const rebased = (id: number) => (p: { group?: number }) => ({ ...p, group: (p.group ?? 0) - id });
    const expected = (await queries.series(reference, { scope: { kind: 'groups' } })).series.map(rebased(reference));
    expect(expected).toHaveLength(3);
    expect((await queries.series(r, { scope: { kind: 'groups' } })).series.map(rebased(r))).toEqual(expected);

    // Any later batch goes on with the rollup, two rows at a time.
    await apply(new ProgressBucketsProjection(2), []);
    expect(
      (
        await pool.query(
          `select count(*)::int as n from ${S}.progress_buckets where rollout_id = $1 and bucket_ms = 1000`,
          [r],
        )
      ).rows[0].n,
    ).toBe(3);
    await new ProgressBucketsProjection(2).finishRollups(pool);
    expect(await resolutions(r)).toEqual([60_000]);
    expect((await queries.series(r, { scope: { kind: 'groups' } })).series.map(rebased(r))).toEqual(expected);
  });
});
