export const ORCHESTRATOR_SCHEMA = 'group_orchestrator';

/** Per-group action counters, updated in the same transaction as each consumed action event. */
export const orchestratorMigration = `
create schema if not exists ${ORCHESTRATOR_SCHEMA};
create table if not exists ${ORCHESTRATOR_SCHEMA}.group_counters (
  group_id bigint primary key,
  rollout_id bigint not null,
  total integer not null,
  finished integer not null default 0,
  error integer not null default 0,
  cancelled integer not null default 0
);
create index if not exists group_counters_rollout on ${ORCHESTRATOR_SCHEMA}.group_counters (rollout_id);
`;
