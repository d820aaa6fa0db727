import type { Pool } from 'pg';
import type { ServiceMetrics } from '@fleetwave/platform';

/**
 * Reporting's business gauges, read from the metrics views when scraped: rollouts by state and
 * actions by status (the per-group counters summed, one small row per group rather than a row
 * per action). Nothing is kept in memory between scrapes, so every instance reports the same.
 */
export function trackReportingGauges(metrics: ServiceMetrics, pool: Pool, schema: string): void {
  metrics.collectedGauge(
    {
      name: 'fleetwave_reporting_rollouts',
      help: 'Rollouts by the state of their last lifecycle event',
      labelNames: ['state'],
    },
    async () => {
      const { rows } = await pool.query<{ state: string; rollouts: string }>(
        `select state, rollouts from ${schema}.metrics_rollouts_by_state`,
      );
      return rows.map((row) => ({ labels: { state: row.state }, value: Number(row.rollouts) }));
    },
  );
  metrics.collectedGauge(
    {
      name: 'fleetwave_reporting_actions',
      help: 'Actions by status bucket (scheduled, running, finished, error, cancelled), over every rollout',
      labelNames: ['status'],
    },
    async () => {
      const { rows } = await pool.query<{ status: string; actions: string }>(
        `select status, actions from ${schema}.metrics_actions_by_status`,
      );
      return rows.map((row) => ({ labels: { status: row.status }, value: Number(row.actions) }));
    },
  );
}
