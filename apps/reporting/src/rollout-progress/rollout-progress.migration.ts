import type { SchemaMigrationPlan } from '@fleetwave/platform';
import { rolloutLifecycleMigration } from './rollout-lifecycle.migration';
import { rolloutPositionsMigration } from '../rollout-position/rollout-position.migration';
import { actionsMigration, actionsRoomForBatches, actionsRoomForUpdates } from '../actions/actions.migration';
import { progressBucketsMigration } from '../rollout-history/progress-buckets.migration';
import { decisionAuditMigration } from '../rollout-audit/decision-audit.migration';
import { metricsViewsMigration } from '../metrics/metrics-views.migration';

export const REPORTING_SCHEMA = 'reporting';

const S = REPORTING_SCHEMA;

/**
 * Read models of rollouts and their groups with per-status action counts.
 *
 * The tables hold facts only, each set by the one event that owns it (definition and totals from
 * rollout.events.v1, group start/finish from rollout-group.events.v1, counts from
 * action.events.v1). Status is derived from those facts in one place, the two views below, which
 * the query API reads. A rollout or group shows `finished` only once its finished fact is known
 * and its counts in final buckets reach its total; until then it shows `running`. The three
 * topics are consumed independently, so a finish can be projected before the action deltas that
 * led to it; deriving the status at read time, in the reader's single snapshot, means no
 * transition has to be re-evaluated later (a re-evaluation inside one consumer's transaction
 * could miss another consumer's concurrent, not yet committed write and stay `running` forever).
 * Counts in final buckets never go back, so counts read right after a `finished` still add up.
 * `create or replace view` can only append columns; a view changing otherwise is dropped first.
 *
 * Released steps are never edited: a change of a table or view is a new step appended with the
 * next number.
 */
export const reportingMigration: SchemaMigrationPlan = {
  schema: S,
  migrations: [
    {
      // The baseline is the DDL of the unversioned releases, idempotent so their schemas adopt it,
      // with their in-place upgrade of a schema that stored a status column.
      id: '001-create-read-model',
      up: `
create table if not exists ${S}.rollouts (
  id bigint primary key,
  name text not null,
  description text,
  target_filter_query text not null,
  distribution_set_id bigint not null,
  action_type text not null,
  weight integer not null,
  start_at bigint,
  force_time bigint,
  total_targets integer not null default 0,
  total_groups integer not null,
  created_at bigint not null,
  created_by text not null,
  last_modified_at bigint not null,
  last_modified_by text not null,
  ready_at bigint,
  started_at bigint,
  finished_at bigint
);
create table if not exists ${S}.rollout_groups (
  id bigint primary key,
  rollout_id bigint not null,
  index integer not null,
  name text not null,
  description text,
  target_percentage real not null,
  success_condition jsonb not null,
  success_action jsonb not null,
  error_condition jsonb not null,
  error_action jsonb not null,
  total_targets integer not null default 0,
  created_at bigint not null,
  last_modified_at bigint not null
);
-- Counts and the group's own lifecycle facts live apart from the group row: action and group
-- events come on other topics than the rollout's definition (no order between them) and must
-- still count when they are projected first.
create table if not exists ${S}.group_action_counts (
  group_id bigint primary key,
  rollout_id bigint not null,
  scheduled integer not null default 0,
  running integer not null default 0,
  finished integer not null default 0,
  error integer not null default 0,
  cancelled integer not null default 0,
  started_at bigint,
  finished_at bigint
);
create index if not exists group_action_counts_rollout on ${S}.group_action_counts (rollout_id);
create index if not exists rollout_groups_rollout on ${S}.rollout_groups (rollout_id, index);

-- Upgrade of a schema that stored a status column instead of the facts: derive them once, drop it.
alter table ${S}.rollouts add column if not exists ready_at bigint, add column if not exists started_at bigint,
  add column if not exists finished_at bigint;
alter table ${S}.group_action_counts add column if not exists started_at bigint,
  add column if not exists finished_at bigint;
do $$ begin
  if exists (select 1 from information_schema.columns
             where table_schema = '${S}' and table_name = 'rollouts' and column_name = 'status') then
    drop view if exists ${S}.rollout_views, ${S}.rollout_group_views;
    update ${S}.rollouts set
      ready_at = case when status <> 'creating' then last_modified_at end,
      started_at = case when status in ('running', 'finished') then last_modified_at end,
      finished_at = case when status = 'finished' then last_modified_at end;
    insert into ${S}.group_action_counts (group_id, rollout_id, started_at, finished_at)
      select id, rollout_id, last_modified_at, case when status = 'finished' then last_modified_at end
      from ${S}.rollout_groups where status in ('running', 'finished')
      on conflict (group_id) do update set started_at = excluded.started_at, finished_at = excluded.finished_at;
    alter table ${S}.rollouts drop column status;
    alter table ${S}.rollout_groups drop column status;
  end if;
end $$;

create or replace view ${S}.rollout_views as
select r.id, r.name, r.description,
  case
    when f.finished then 'finished'
    when r.started_at is not null or r.finished_at is not null then 'running'
    when r.ready_at is not null then 'ready'
    else 'creating'
  end as status,
  r.target_filter_query, r.distribution_set_id, r.action_type, r.weight, r.start_at, r.force_time,
  r.total_targets, r.total_groups, r.created_at, r.created_by,
  greatest(r.last_modified_at, r.ready_at, r.started_at, case when f.finished then r.finished_at end)
    as last_modified_at,
  r.last_modified_by
from ${S}.rollouts r
cross join lateral (
  select coalesce(sum(c.finished + c.error + c.cancelled), 0) as settled
  from ${S}.group_action_counts c where c.rollout_id = r.id
) n
cross join lateral (
  select count(*) as unfinished
  from ${S}.rollout_groups g left join ${S}.group_action_counts c on c.group_id = g.id
  where g.rollout_id = r.id and c.finished_at is null
) o
-- Finished once every action is in a final bucket and every group has finished.
cross join lateral (
  select r.finished_at is not null and n.settled >= r.total_targets and o.unfinished = 0 as finished
) f;

create or replace view ${S}.rollout_group_views as
select g.id, g.rollout_id, g.index, g.name, g.description,
  case
    when f.finished then 'finished'
    when c.started_at is not null or c.finished_at is not null then 'running'
    when r.ready_at is not null and c.scheduled + c.running + c.finished + c.error + c.cancelled > 0 then 'scheduled'
    when r.ready_at is not null then 'ready'
    else 'creating'
  end as status,
  g.target_percentage, g.success_condition, g.success_action, g.error_condition, g.error_action,
  g.total_targets, g.created_at,
  greatest(g.last_modified_at, r.ready_at, c.started_at, case when f.finished then c.finished_at end)
    as last_modified_at
from ${S}.rollout_groups g
join ${S}.rollouts r on r.id = g.rollout_id
left join ${S}.group_action_counts c on c.group_id = g.id
-- Totals come with the rollout's ready event; until then no count can be compared with them.
cross join lateral (
  select c.finished_at is not null and r.ready_at is not null
    and c.finished + c.error + c.cancelled >= g.total_targets as finished
) f;
`,
    },
    rolloutLifecycleMigration(S),
    actionsMigration(S),
    progressBucketsMigration(S),
    decisionAuditMigration(S),
    rolloutPositionsMigration(S),
    actionsRoomForUpdates(S),
    actionsRoomForBatches(S),
    // Step 009 goes above this line: 010 (the metrics views) was numbered to stay last.
    metricsViewsMigration(S),
  ],
};
