export const DISPATCH_SCHEMA = 'action_dispatch';

/**
 * Actions and what action-dispatch needs to know about rollouts to create and address them, in
 * `schema` (the service's own in production; a fresh one per integration test).
 */
export const dispatchMigrationFor = (schema: string): string => `
create schema if not exists ${schema};
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
`;

export const dispatchMigration = dispatchMigrationFor(DISPATCH_SCHEMA);
