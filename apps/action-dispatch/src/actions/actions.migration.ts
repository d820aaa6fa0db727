import type { SchemaMigrationPlan } from '@fleetwave/platform';

export const DISPATCH_SCHEMA = 'action_dispatch';

/**
 * Actions and what action-dispatch needs to know about rollouts to create and address them, in
 * `schema` (the service's own in production; a fresh one per integration test). Released steps
 * are never edited: a change of a table is a new step appended with the next number.
 */
export const dispatchMigrationFor = (schema: string): SchemaMigrationPlan => ({
  schema,
  migrations: [
    {
      // The baseline is the DDL of the unversioned releases, idempotent so their schemas adopt it.
      id: '001-create-actions',
      up: `
create table if not exists ${schema}.rollouts (
  rollout_id bigint primary key,
  distribution_set jsonb not null,
  action_type text not null,
  force_time bigint,
  weight integer not null,
  started boolean not null default false
);
create table if not exists ${schema}.group_members (
  rollout_id bigint not null,
  group_id bigint not null,
  target_id bigint not null,
  controller_id text not null,
  primary key (rollout_id, target_id)
);
create table if not exists ${schema}.started_groups (
  group_id bigint primary key,
  rollout_id bigint not null
);
create sequence if not exists ${schema}.action_ids;
create table if not exists ${schema}.actions (
  id bigint primary key default nextval('${schema}.action_ids'),
  rollout_id bigint not null,
  group_id bigint not null,
  target_id bigint not null,
  controller_id text not null,
  status text not null,
  revision integer not null default -1,
  created_at timestamptz not null default now(),
  last_modified_at timestamptz not null default now(),
  unique (rollout_id, target_id)
);
-- Activation walks a group's scheduled actions in id order, chunk by chunk (keyset on id).
create index if not exists actions_group_status_id on ${schema}.actions (group_id, status, id);
drop index if exists ${schema}.actions_group_status;
`,
    },
    {
      id: '002-create-dispatch-work',
      up: `
-- Creation walks a group's members in target order, chunk by chunk (keyset on target_id).
create index group_members_group_target on ${schema}.group_members (group_id, target_id);
-- A rollout's groups in index order: creation works group 1 first.
create table ${schema}.rollout_groups (
  group_id bigint primary key,
  rollout_id bigint not null,
  position integer not null
);
create index rollout_groups_rollout on ${schema}.rollout_groups (rollout_id);
-- The dispatch worker's queue and cursors: per group, the creation of its scheduled actions
-- (cursor: last target id; frontier: last action id created) and its activation (cursor: last
-- action id activated). Each chunk advances its row in the chunk's own transaction.
create table ${schema}.dispatch_work (
  group_id bigint not null,
  kind text not null check (kind in ('create', 'activate')),
  rollout_id bigint not null,
  position integer not null,
  after_id bigint not null default 0,
  frontier bigint not null default 0,
  done boolean not null default false,
  chunks integer not null default 0,
  attempts integer not null default 0,
  last_error text,
  retry_at timestamptz,
  updated_at timestamptz not null default now(),
  primary key (group_id, kind)
);
create index dispatch_work_pending on ${schema}.dispatch_work (position, rollout_id) where not done;
`,
    },
    {
      id: '003-rollout-endings',
      up: `
-- How a started rollout ends (stop: soft cancel; delete: force cancel), and whether its
-- RolloutActionsSettled.v1 for that ending has been appended.
alter table ${schema}.rollouts add column ending text check (ending in ('STOPPED', 'DELETED'));
alter table ${schema}.rollouts add column settled boolean not null default false;
-- Cancel work: per group of an ending rollout, its open actions in id order (cursor: last action id).
alter table ${schema}.dispatch_work drop constraint dispatch_work_kind_check;
alter table ${schema}.dispatch_work add constraint dispatch_work_kind_check
  check (kind in ('create', 'activate', 'cancel'));
create index dispatch_work_rollout on ${schema}.dispatch_work (rollout_id);
-- Open (non-final) actions by rollout and group: cancel chunks walk it, the settlement check
-- asks it whether any is left; final actions drop out of it, so both stay cheap.
create index actions_open_by_rollout on ${schema}.actions (rollout_id, group_id, id)
  where status not in ('finished', 'error', 'canceled');
`,
    },
    {
      id: '004-target-assignment',
      up: `
-- A group asking its devices to confirm first puts its actions in wait_for_confirmation.
alter table ${schema}.rollout_groups add column confirmation_required boolean not null default false;
-- A target's actions across rollouts: which set it has assigned, which of its actions a group
-- start cancels, and whether a newer rollout has reached it.
create index actions_target_rollout on ${schema}.actions (target_id, rollout_id);
`,
    },
    {
      id: '005-confirmation-flow',
      up: `
-- The tenant's confirmation flow as it was when the rollout started (RolloutStarted.v1): a group
-- that requires confirmation waits for it only when this is true; null (an older start event
-- that does not tell) leaves it to the group.
alter table ${schema}.rollouts add column confirmation_flow_enabled boolean;
`,
    },
    {
      id: '006-open-actions',
      up: `
-- Status writes stay heap-only: no index of actions covers the status, which changes with every
-- report, and actions keep room on their pages (fill factor 45) for the new row versions.
-- The open (non-final) actions by rollout and group are a table of their own instead of a
-- partial index: creation fills it, the change to a final status empties it in the same
-- statement as the status; cancel chunks walk it and the settlement check asks it.
create table ${schema}.open_actions (
  rollout_id bigint not null,
  group_id bigint not null,
  action_id bigint not null,
  primary key (rollout_id, group_id, action_id)
);
insert into ${schema}.open_actions (rollout_id, group_id, action_id)
  select rollout_id, group_id, id from ${schema}.actions where status not in ('finished', 'error', 'canceled');
drop index ${schema}.actions_open_by_rollout;
-- Activation walks a group's actions in id order (keyset on id), taking the scheduled ones.
create index actions_group_id on ${schema}.actions (group_id, id);
drop index ${schema}.actions_group_status_id;
alter table ${schema}.actions set (fillfactor = 45);
`,
    },
  ],
});
