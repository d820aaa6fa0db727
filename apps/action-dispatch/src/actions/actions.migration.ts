export const DISPATCH_SCHEMA = 'action_dispatch';

/** Actions and what action-dispatch needs to know about rollouts to create and address them. */
export const dispatchMigration = `
create schema if not exists ${DISPATCH_SCHEMA};
create table if not exists ${DISPATCH_SCHEMA}.rollouts (
  rollout_id bigint primary key,
  distribution_set jsonb not null,
  action_type text not null,
  force_time bigint,
  weight integer not null,
  started boolean not null default false
);
create table if not exists ${DISPATCH_SCHEMA}.group_members (
  rollout_id bigint not null,
  group_id bigint not null,
  target_id bigint not null,
  controller_id text not null,
  primary key (rollout_id, target_id)
);
create table if not exists ${DISPATCH_SCHEMA}.started_groups (
  group_id bigint primary key,
  rollout_id bigint not null
);
create sequence if not exists ${DISPATCH_SCHEMA}.action_ids;
create table if not exists ${DISPATCH_SCHEMA}.actions (
  id bigint primary key default nextval('${DISPATCH_SCHEMA}.action_ids'),
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
create index if not exists actions_group_status on ${DISPATCH_SCHEMA}.actions (group_id, status);
`;
