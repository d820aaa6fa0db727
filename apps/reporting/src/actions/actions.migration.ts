import type { SchemaMigration } from '@fleetwave/platform';

/**
 * Step 003: the actions read model, one row per action with its status history, a projection
 * that can be dropped and rebuilt on its own.
 *
 * Rollout and group names, action type, weight and distribution set come from rollout.events.v1,
 * another topic than the actions' (no order between them), so they live in tables of their own
 * and are joined at read time by `action_views`, never copied into action rows.
 *
 * `status_seq` is the history entry the row's status comes from: a change only applies over an
 * older one, so a re-applied or late entry never moves an action back. Entry 0 is the scheduling
 * (ActionsScheduled.v1), entries 1.. the status changes in the order action.events.v1 holds them
 * (one rollout's actions are on one partition). The public id of an entry is derived from the
 * action id and its number (see `statusEntryId`), so a rebuild gives every entry its old id.
 *
 * hawkBit's `active`: the device is to work on the action (neither waiting for its group,
 * scheduled, nor final); `type` is `cancel` once the action is being or has been cancelled.
 */
export function actionsMigration(S: string): SchemaMigration {
  return {
    id: '003-actions-read-model',
    up: `
create table ${S}.actions (
  id bigint primary key,
  rollout_id bigint not null,
  group_id bigint not null,
  target_id bigint not null,
  controller_id text not null,
  status text not null,
  status_seq integer not null,
  created_at bigint not null,
  last_modified_at bigint not null,
  last_status_code integer
);
create index actions_controller on ${S}.actions (controller_id, id);
create index actions_rollout on ${S}.actions (rollout_id, id);

create table ${S}.action_status_history (
  action_id bigint not null,
  seq integer not null,
  status text not null,
  messages text[] not null default '{}',
  code integer,
  reported_at bigint not null,
  occurred_at bigint not null,
  primary key (action_id, seq)
);

create table ${S}.action_rollouts (
  rollout_id bigint primary key,
  name text not null,
  action_type text not null,
  weight integer not null,
  force_time bigint,
  distribution_set_id bigint not null,
  distribution_set_name text not null,
  distribution_set_version text not null,
  created_by text not null
);

create table ${S}.action_groups (
  group_id bigint primary key,
  rollout_id bigint not null,
  name text not null
);
create index action_groups_rollout on ${S}.action_groups (rollout_id);

create view ${S}.action_views as
select a.id, a.rollout_id, a.group_id, a.target_id, a.controller_id, a.status,
  a.status not in ('scheduled', 'finished', 'error', 'canceled') as active,
  case when a.status in ('canceling', 'canceled') then 'cancel' else 'update' end as type,
  a.created_at, a.last_modified_at, a.last_status_code,
  r.name as rollout_name, r.action_type, r.weight, r.force_time, r.distribution_set_id,
  r.distribution_set_name, r.distribution_set_version, coalesce(r.created_by, 'system') as created_by,
  g.name as group_name
from ${S}.actions a
left join ${S}.action_rollouts r on r.rollout_id = a.rollout_id
left join ${S}.action_groups g on g.group_id = a.group_id;
`,
  };
}

/**
 * Step 007: an action's row is updated with each status change, and no index covers the columns
 * that change, so with room left on its page each update is heap-only (no index entry written).
 * Applies to pages written from now on.
 */
export function actionsRoomForUpdates(S: string): SchemaMigration {
  return { id: '007-actions-room-for-updates', up: `alter table ${S}.actions set (fillfactor = 70);` };
}

/**
 * Step 008: room for a second version of every row on a page. One statement moves the statuses
 * of a whole batch of actions, which sit together, so it often updates every row of a page at
 * once; versions written by the running transaction cannot be pruned to make room, so 30% free
 * left many of those updates writing every index. Pages filled to 45% take them all heap-only.
 */
export function actionsRoomForBatches(S: string): SchemaMigration {
  return { id: '008-actions-room-for-batches', up: `alter table ${S}.actions set (fillfactor = 45);` };
}
