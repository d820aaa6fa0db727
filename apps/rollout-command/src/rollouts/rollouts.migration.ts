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
  ],
});

export const rolloutsMigration = rolloutsMigrationFor(INVENTORY_SCHEMA);
