import type { SchemaMigrationPlan } from '@fleetwave/platform';
import {
  actionStatusMigrationSteps,
  targetStatusInPlace,
  targetStatusRoomForBatches,
  targetStatusRoomForTwoWrites,
} from '../targets/action-status/action-status.migration-steps';
import { catalogMigrationSteps } from './catalog.migration-steps';
import { artifactMigrationSteps } from '../repository/artifacts/artifacts.migration-steps';

/** Inventory tables owned by rollout-command (schema `rollout_command`). */
export const INVENTORY_SCHEMA = 'rollout_command';

/**
 * The inventory's versioned tables in a schema; tests migrate a fresh schema with it. Released
 * steps are never edited: a change of a table is a new step appended with the next number.
 */
export const inventoryMigrationFor = (schema: string): SchemaMigrationPlan => ({
  schema,
  migrations: [
    {
      // The baseline is the DDL of the unversioned releases, idempotent so their schemas adopt it.
      id: '001-create-inventory',
      up: `
create table if not exists ${schema}.targets (
  id bigserial primary key,
  controller_id text not null unique,
  name text not null,
  description text,
  update_status text not null default 'registered',
  attributes jsonb not null default '{}',
  metadata jsonb not null default '{}',
  target_type text,
  tags text[] not null default '{}',
  assigned_ds_id bigint, assigned_ds_name text, assigned_ds_version text,
  installed_ds_id bigint, installed_ds_name text, installed_ds_version text,
  last_controller_request_at timestamptz,
  created_at timestamptz not null default now(),
  created_by text not null default 'system',
  last_modified_at timestamptz not null default now(),
  last_modified_by text not null default 'system'
);
create table if not exists ${schema}.software_modules (
  id bigserial primary key,
  name text not null,
  version text not null,
  type text not null,
  vendor text,
  description text,
  artifacts jsonb not null default '[]',
  created_at timestamptz not null default now(),
  created_by text not null,
  last_modified_at timestamptz not null default now(),
  last_modified_by text not null,
  unique (name, version, type)
);
create table if not exists ${schema}.distribution_sets (
  id bigserial primary key,
  name text not null,
  version text not null,
  type text not null,
  description text,
  module_ids bigint[] not null default '{}',
  created_at timestamptz not null default now(),
  created_by text not null,
  last_modified_at timestamptz not null default now(),
  last_modified_by text not null,
  unique (name, version)
);
create table if not exists ${schema}.rollout_names (
  name text primary key,
  rollout_id bigint not null unique
);
create sequence if not exists ${schema}.rollout_ids;
create sequence if not exists ${schema}.rollout_group_ids;
-- The resumable cursor of each rollout creation: membership is written in short chunk
-- transactions, each advancing this row together with the chunk's events.
create table if not exists ${schema}.rollout_creation_progress (
  rollout_id bigint primary key,
  target_filter_query text not null,
  cutoff_ms bigint not null,
  group_ids bigint[] not null,
  total_targets integer not null,
  group_index integer not null default 0,
  taken_in_group integer not null default 0,
  last_target_id bigint not null default 0,
  assigned integer not null default 0,
  chunks integer not null default 0,
  membership_events integer not null default 0,
  done boolean not null default false,
  last_error text,
  updated_at timestamptz not null default now()
);
create index if not exists rollout_creation_pending
  on ${schema}.rollout_creation_progress (updated_at) where not done;
`,
    },
    {
      id: '002-rollout-lifecycle',
      up: `
-- Tenant settings that differ from their default; a key without a row has its default value.
create table ${schema}.system_configs (
  key text primary key,
  value jsonb not null,
  created_at timestamptz not null default now(),
  created_by text not null,
  last_modified_at timestamptz not null default now(),
  last_modified_by text not null
);
-- The groups the group workflow has started (RolloutGroupStarted.v1): whether a rollout has a
-- scheduled group left is its group count against these.
create table ${schema}.rollout_started_groups (
  rollout_id bigint not null,
  group_id bigint not null,
  primary key (rollout_id, group_id)
);
`,
    },
    ...catalogMigrationSteps(schema),
    ...actionStatusMigrationSteps(schema),
    ...artifactMigrationSteps(schema),
    targetStatusInPlace(schema),
    targetStatusRoomForBatches(schema),
    targetStatusRoomForTwoWrites(schema),
  ],
});

export const inventoryMigration = inventoryMigrationFor(INVENTORY_SCHEMA);
