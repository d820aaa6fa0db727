import type { SchemaMigrationPlan } from '@fleetwave/platform';

export const ORCHESTRATOR_SCHEMA = 'group_orchestrator';

/**
 * Per-group action counters, updated in the same transaction as the consumed action events, in
 * `schema` (the service's own in production; a fresh one per integration test). Released steps
 * are never edited: a change of a table is a new step appended with the next number.
 */
export const orchestratorMigrationFor = (schema: string): SchemaMigrationPlan => ({
  schema,
  migrations: [
    {
      // The baseline is the DDL of the unversioned releases, idempotent so their schemas adopt it.
      id: '001-create-group-counters',
      up: `
create table if not exists ${schema}.group_counters (
  group_id bigint primary key,
  rollout_id bigint not null,
  total integer not null,
  finished integer not null default 0,
  error integer not null default 0,
  cancelled integer not null default 0
);
create index if not exists group_counters_rollout on ${schema}.group_counters (rollout_id);
`,
    },
    {
      // Actions currently `downloaded`: a downloadonly rollout's workflow counts them as finished.
      id: '002-group-counters-downloaded',
      up: `alter table ${schema}.group_counters add column if not exists downloaded integer not null default 0;`,
    },
  ],
});
