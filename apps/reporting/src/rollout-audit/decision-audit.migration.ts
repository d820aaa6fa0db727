import type { SchemaMigration } from '@fleetwave/platform';

/**
 * Step 005: the decision audit. One row per rollout or group state change (and per decision that
 * leaves the state as it is: an update, a triggered group), keyed by the event id, so a
 * redelivered event adds nothing. Every column is a function of the events alone: `from_state`
 * is the state the subject's previous event on the same partition left it in (kept in
 * `audit_rollouts`/`audit_groups`), `rank` orders events of the same millisecond by their place
 * in the causal chain, `seq` (the event's offset on its partition, where one rollout's events of
 * one topic keep their order) by the order they were written, and the event id settles the rest. So a rebuild from the topics writes
 * the same rows whatever the interleaving of the topics. `audit_groups.index` comes from either
 * topic (the same value); `removed` marks a rollout deleted before it started, whose rows go.
 */
export function decisionAuditMigration(S: string): SchemaMigration {
  return {
    id: '005-decision-audit',
    up: `
create table ${S}.audit_entries (
  event_id text primary key,
  rollout_id bigint not null,
  at bigint not null,
  rank smallint not null,
  seq bigint not null,
  subject text not null,
  group_id bigint,
  from_state text,
  to_state text not null,
  event_type text not null,
  causation_id text,
  correlation_id text,
  actor text,
  reason text not null,
  figures jsonb
);
create index audit_entries_rollout on ${S}.audit_entries (rollout_id, at, rank, seq, event_id);
create table ${S}.audit_rollouts (
  rollout_id bigint primary key,
  state text,
  last_at bigint,
  removed boolean not null default false
);
create table ${S}.audit_groups (
  group_id bigint primary key,
  rollout_id bigint not null,
  index integer,
  state text
);
`,
  };
}
