import type { SchemaMigration } from '@fleetwave/platform';

/**
 * Step 002: the whole rollout lifecycle (approval, pause, stop, delete, update) and failed groups.
 *
 * The rollout row now stores the state of its last lifecycle event (rollout.events.v1 is ordered
 * per rollout, so the last event is the current state) with the time and actor of the last
 * event, kept apart for the terminal events (finished, stopped, deleted): those are shown, and
 * count as the last modification, only once the counts add up, as the finished rule of step 001
 * did. A stopped or deleted rollout may have targets that never got an action, so for those the
 * action topic's own word that every action is final (RolloutActionsSettled, the last action
 * event of the rollout on its partition) also counts as adding up; it is kept in a table of its
 * own, as it may be projected before the rollout's definition. A rollout started but with no
 * group started yet shows `starting`. A failed group shows `error` for good.
 */
export function rolloutLifecycleMigration(S: string): SchemaMigration {
  return {
    id: '002-rollout-lifecycle',
    up: `
alter table ${S}.rollouts
  add column state text,
  add column terminal_at bigint,
  add column terminal_by text,
  add column approval_decided_by text,
  add column approval_remark text;
update ${S}.rollouts set
  state = case
    when finished_at is not null then 'finished'
    when started_at is not null then 'running'
    when ready_at is not null then 'ready'
    else 'creating'
  end,
  terminal_at = finished_at;
alter table ${S}.rollouts alter column state set default 'creating', alter column state set not null;
alter table ${S}.group_action_counts add column failed_at bigint;
create table ${S}.rollout_action_facts (
  rollout_id bigint primary key,
  settled_at bigint not null
);

drop view ${S}.rollout_views, ${S}.rollout_group_views;

create view ${S}.rollout_views as
select r.id, r.name, r.description,
  case
    when t.shown then r.state
    when r.state = 'finished' then 'running'
    when r.state = 'stopped' then 'stopping'
    when r.state = 'deleted' then 'deleting'
    when r.state = 'running' and not s.any_started then 'starting'
    else r.state
  end as status,
  r.target_filter_query, r.distribution_set_id, r.action_type, r.weight, r.start_at, r.force_time,
  r.total_targets, r.total_groups, r.created_at, r.created_by,
  greatest(r.last_modified_at, r.ready_at, r.started_at, case when t.shown then r.terminal_at end)
    as last_modified_at,
  case when t.shown and r.terminal_at >= r.last_modified_at then coalesce(r.terminal_by, r.last_modified_by)
    else r.last_modified_by end as last_modified_by,
  r.approval_decided_by, r.approval_remark
from ${S}.rollouts r
left join ${S}.rollout_action_facts a on a.rollout_id = r.id
cross join lateral (
  select coalesce(sum(c.finished + c.error + c.cancelled), 0) as settled
  from ${S}.group_action_counts c where c.rollout_id = r.id
) n
cross join lateral (
  select count(*) as unfinished
  from ${S}.rollout_groups g left join ${S}.group_action_counts c on c.group_id = g.id
  -- A group in error is done too: it starts nothing more, whatever its actions still do.
  where g.rollout_id = r.id and c.finished_at is null and c.failed_at is null
) o
cross join lateral (
  select exists (
    select 1 from ${S}.group_action_counts c where c.rollout_id = r.id and c.started_at is not null
  ) as any_started
) s
-- A terminal state is shown at once for a rollout that never started (nothing to count), else
-- once every group has finished and every action is in a final bucket (or known to be final).
cross join lateral (
  select r.state in ('finished', 'stopped', 'deleted')
    and (r.started_at is null
      or (o.unfinished = 0 and (n.settled >= r.total_targets or a.settled_at is not null))) as shown
) t;

create view ${S}.rollout_group_views as
select g.id, g.rollout_id, g.index, g.name, g.description,
  case
    when c.failed_at is not null then 'error'
    when f.finished then 'finished'
    when c.started_at is not null or c.finished_at is not null then 'running'
    when r.ready_at is not null and c.scheduled + c.running + c.finished + c.error + c.cancelled > 0 then 'scheduled'
    when r.ready_at is not null then 'ready'
    else 'creating'
  end as status,
  g.target_percentage, g.success_condition, g.success_action, g.error_condition, g.error_action,
  g.total_targets, g.created_at,
  greatest(g.last_modified_at, r.ready_at, c.started_at, c.failed_at, case when f.finished then c.finished_at end)
    as last_modified_at
from ${S}.rollout_groups g
join ${S}.rollouts r on r.id = g.rollout_id
left join ${S}.group_action_counts c on c.group_id = g.id
left join ${S}.rollout_action_facts a on a.rollout_id = g.rollout_id
cross join lateral (
  select c.finished_at is not null and r.ready_at is not null
    and (c.finished + c.error + c.cancelled >= g.total_targets or a.settled_at is not null) as finished
) f;
`,
  };
}
