import type { Pool } from 'pg';
import { createPool, migrateSchema, sampleValue, ServiceMetrics } from '@fleetwave/platform';
import { testDatabaseUrl } from '@fleetwave/testing';
import { REPORTING_SCHEMA as S, reportingMigration } from '../rollout-progress/rollout-progress.migration';
import { RolloutProgressProjection } from '../rollout-progress/rollout-progress.projection';
import {
  freshId,
  moved,
  progressReader,
  rolloutEvents,
  scheduled,
} from '../rollout-progress/testing/progress-events.fixture';
import { trackReportingGauges } from './reporting-gauges';

/**
 * The metrics views and the gauges read from them, over a rollout projected on Postgres. The
 * reporting schema is shared with other tests, so totals are checked to include this rollout's
 * figures, and its own rows exactly.
 */
describe('reporting metrics views and gauges', () => {
  let pool: Pool;
  let reader: ReturnType<typeof progressReader>;

  beforeAll(async () => {
    pool = createPool(testDatabaseUrl(), 'reporting-metrics-test', 2);
    await migrateSchema(pool, reportingMigration);
    reader = progressReader(pool, new RolloutProgressProjection(() => 1_500));
  });
  afterAll(() => pool.end());

  it("shows a running rollout's progress per rollout and per group, and counts it in the gauges", async () => {
    const r = freshId();
    const [g1, g2] = [r + 1, r + 2];
    await reader.apply(rolloutEvents(r, [4, 6]));
    await reader.apply([
      scheduled(r, g1, 4),
      scheduled(r, g2, 6),
      ...moved(r, g1, 4, 'scheduled', 'running'),
      ...moved(r, g1, 3, 'running', 'finished'),
      ...moved(r, g1, 1, 'running', 'error'),
    ]);

    const { rows: rollout } = await pool.query(
      `select state, total_targets, scheduled, running, finished, error, cancelled, finished_percent
         from ${S}.metrics_rollout_progress where rollout_id = $1`,
      [r],
    );
    expect(rollout).toEqual([
      {
        state: 'running',
        total_targets: 10,
        scheduled: '6',
        running: '0',
        finished: '3',
        error: '1',
        cancelled: '0',
        finished_percent: '30.00',
      },
    ]);
    const { rows: groups } = await pool.query(
      `select group_id, scheduled, running, finished, error from ${S}.metrics_group_progress
        where rollout_id = $1 order by index`,
      [r],
    );
    expect(groups).toEqual([
      { group_id: String(g1), scheduled: 0, running: 0, finished: 3, error: 1 },
      { group_id: String(g2), scheduled: 6, running: 0, finished: 0, error: 0 },
    ]);

    const metrics = new ServiceMetrics('reporting', { processMetrics: false });
    trackReportingGauges(metrics, pool, S);
    const text = await metrics.exposition();
    expect(sampleValue(text, 'fleetwave_reporting_rollouts', { state: 'running' })).toBeGreaterThanOrEqual(1);
    for (const [status, ours] of [
      ['scheduled', 6],
      ['finished', 3],
      ['error', 1],
    ] as const) {
      expect(sampleValue(text, 'fleetwave_reporting_actions', { status })).toBeGreaterThanOrEqual(ours);
    }
    // All five statuses are always reported, zeros included.
    for (const status of ['scheduled', 'running', 'finished', 'error', 'cancelled']) {
      expect(sampleValue(text, 'fleetwave_reporting_actions', { status })).toBeDefined();
    }
  });
});
