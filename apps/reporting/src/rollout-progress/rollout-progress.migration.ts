export const REPORTING_SCHEMA = 'reporting';

/** Read models of rollouts and their groups with per-status action counts. */
export const reportingMigration = `
create schema if not exists ${REPORTING_SCHEMA};
create table if not exists ${REPORTING_SCHEMA}.rollouts (
  id bigint primary key,
  name text not null,
  description text,
  status text not null,
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
  last_modified_by text not null
);
create table if not exists ${REPORTING_SCHEMA}.rollout_groups (
  id bigint primary key,
  rollout_id bigint not null,
  index integer not null,
  name text not null,
  description text,
  status text not null,
  target_percentage real not null,
  success_condition jsonb not null,
  success_action jsonb not null,
  error_condition jsonb not null,
  error_action jsonb not null,
  total_targets integer not null default 0,
  created_at bigint not null,
  last_modified_at bigint not null
);
-- Counts live apart from the group row so that an action event consumed before the rollout's
-- own events (different topics, no order between them) still counts.
create table if not exists ${REPORTING_SCHEMA}.group_action_counts (
  group_id bigint primary key,
  rollout_id bigint not null,
  scheduled integer not null default 0,
  running integer not null default 0,
  finished integer not null default 0,
  error integer not null default 0,
  cancelled integer not null default 0
);
create index if not exists group_action_counts_rollout on ${REPORTING_SCHEMA}.group_action_counts (rollout_id);
create index if not exists rollout_groups_rollout on ${REPORTING_SCHEMA}.rollout_groups (rollout_id, index);
`;
