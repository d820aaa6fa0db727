/** Inventory tables owned by rollout-command (schema `rollout_command`). Idempotent. */
export const INVENTORY_SCHEMA = 'rollout_command';

export const inventoryMigration = `
create schema if not exists ${INVENTORY_SCHEMA};
create table if not exists ${INVENTORY_SCHEMA}.targets (
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
create table if not exists ${INVENTORY_SCHEMA}.software_modules (
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
create table if not exists ${INVENTORY_SCHEMA}.distribution_sets (
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
create table if not exists ${INVENTORY_SCHEMA}.rollout_names (
  name text primary key,
  rollout_id bigint not null unique
);
create sequence if not exists ${INVENTORY_SCHEMA}.rollout_ids;
create sequence if not exists ${INVENTORY_SCHEMA}.rollout_group_ids;
`;
