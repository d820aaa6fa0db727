import type { SchemaMigrationPlan } from '@fleetwave/platform';
import { INVENTORY_SCHEMA } from '../inventory/inventory.migration';

/**
 * Tables of rollout creation and scheduling, versioned apart from the inventory's steps (their
 * own history table in the same schema) so the two numberings never collide. Run after the
 * inventory plan: it extends `rollout_creation_progress`, which the inventory baseline created.
 */
export const rolloutsMigrationFor = (schema: string): SchemaMigrationPlan => ({
  schema,
  table: 'rollout_migrations',
  migrations: [
    {
      id: '001-explicit-groups-and-scheduled-starts',
      up: `
-- An explicit split: per group its own filter and cut ({filter, lastTargetId}), and the members
-- each group got so far; null for an amountGroups split, which keeps its cursor columns.
alter table ${schema}.rollout_creation_progress
  add column group_plan jsonb,
  add column group_assigned integer[];
-- Rollouts to start by themselves at startAt: a durable timer, written with RolloutCreated and
-- deleted when the start happened or can no longer happen.
create table ${schema}.rollout_scheduled_starts (
  rollout_id bigint primary key,
  start_at_ms bigint not null,
  next_check_ms bigint not null
);
create index rollout_scheduled_starts_due on ${schema}.rollout_scheduled_starts (next_check_ms);
`,
    },
    {
      id: '002-rollout-members-and-dynamic-intake',
      up: `
-- Which rollout and group every target belongs to, written in the transaction of each membership
-- chunk: it serves a group's target list and keeps a dynamic rollout from taking a target that a
-- newer rollout holds (target_id, rollout_id) or one it holds already (the primary key).
create table ${schema}.rollout_members (
  rollout_id bigint not null,
  group_id bigint not null,
  target_id bigint not null,
  primary key (rollout_id, target_id)
);
create index rollout_members_target on ${schema}.rollout_members (target_id, rollout_id);
create index rollout_members_group on ${schema}.rollout_members (group_id, target_id);
-- A dynamic rollout's intake: the group now filling (its definition, for the next one's policy),
-- how many it holds, and two keyset cursors over target ids: targets above new_after_id were never
-- looked at (new devices); sweep_after_id walks the older ones again for attribute changes.
create table ${schema}.rollout_dynamic_intake (
  rollout_id bigint primary key,
  target_filter_query text not null,
  name_suffix text not null,
  target_count integer not null,
  dynamic_number integer not null default 1,
  group_definition jsonb not null,
  group_members integer not null default 0,
  new_after_id bigint not null default 0,
  sweep_after_id bigint not null default 0,
  ended boolean not null default false,
  updated_at timestamptz not null default clock_timestamp()
);
`,
    },
  ],
});

export const rolloutsMigration = rolloutsMigrationFor(INVENTORY_SCHEMA);
