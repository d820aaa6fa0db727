import type { SchemaMigration } from '@fleetwave/platform';

/**
 * How far into each rollout's stream (`rollout-<id>`) the read model has projected: the revision
 * of the last event applied. A write through the API answers with the revision it wrote; the
 * gateway waits until this table has reached it before it answers the client.
 */
export const rolloutPositionsMigration = (S: string): SchemaMigration => ({
  id: '006-rollout-positions',
  up: `
create table ${S}.rollout_positions (
  rollout_id bigint primary key,
  revision bigint not null
);`,
});
