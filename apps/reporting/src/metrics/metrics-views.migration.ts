import type { SchemaMigration } from '@fleetwave/platform';

/**
 * Step 010: views for dashboard tools (Grafana's Postgres source and the like), and the source of
 * reporting's scrape-time gauges. They read the base tables only, never the API views, so that a
 * later step may drop and recreate `rollout_views` without touching these. A rollout's `state` is
 * that of its last lifecycle event (the API's `status` also waits for the counts to add up).
 * Times are epoch milliseconds in the tables; the views add `timestamptz` columns for charts.
 */
export function metricsViewsMigration(S: string): SchemaMigration {
  return {
    id: '010-metrics-views',
    up: `
create view ${S}.metrics_rollouts_by_state as
select state, count(*)::bigint as rollouts from ${S}.rollouts group by state;

-- One pass summing the per-group counters, then one row per status (all five, zeros included).
create view ${S}.metrics_actions_by_status as
select s.status, s.actions
from (
  select coalesce(sum(scheduled), 0)::bigint as scheduled, coalesce(sum(running), 0)::bigint as running,
    coalesce(sum(finished), 0)::bigint as finished, coalesce(sum(error), 0)::bigint as error,
    coalesce(sum(cancelled), 0)::bigint as cancelled
  from ${S}.group_action_counts
) t
cross join lateral (values
  ('scheduled', t.scheduled), ('running', t.running), ('finished', t.finished),
  ('error', t.error), ('cancelled', t.cancelled)
) as s(status, actions);

create view ${S}.metrics_rollout_progress as
select r.id as rollout_id, r.name, r.state, r.total_targets, r.total_groups,
  coalesce(sum(c.scheduled), 0)::bigint as scheduled,
  coalesce(sum(c.running), 0)::bigint as running,
  coalesce(sum(c.finished), 0)::bigint as finished,
  coalesce(sum(c.error), 0)::bigint as error,
  coalesce(sum(c.cancelled), 0)::bigint as cancelled,
  case when r.total_targets > 0
    then round(100.0 * coalesce(sum(c.finished), 0) / r.total_targets, 2) end as finished_percent,
  to_timestamp(r.created_at / 1000.0) as created_time,
  to_timestamp(r.started_at / 1000.0) as started_time,
  to_timestamp(r.terminal_at / 1000.0) as terminal_time
from ${S}.rollouts r
left join ${S}.group_action_counts c on c.rollout_id = r.id
group by r.id;

create view ${S}.metrics_group_progress as
select g.rollout_id, g.id as group_id, g.index, g.name, g.total_targets,
  coalesce(c.scheduled, 0) as scheduled, coalesce(c.running, 0) as running,
  coalesce(c.finished, 0) as finished, coalesce(c.error, 0) as error,
  coalesce(c.cancelled, 0) as cancelled,
  to_timestamp(c.started_at / 1000.0) as started_time,
  to_timestamp(c.finished_at / 1000.0) as finished_time,
  to_timestamp(c.failed_at / 1000.0) as failed_time
from ${S}.rollout_groups g
left join ${S}.group_action_counts c on c.group_id = g.id;
`,
  };
}
