import type { SchemaMigration } from '@fleetwave/platform';

/**
 * What the action-status consumer keeps: on each target the keys that order the updates of its
 * status and installed set (see target-status.rules.ts), and per rollout the targets whose action
 * ended in error (what a retry takes) and a tally of scheduled against settled actions (whether
 * every outcome of a finished rollout has been recorded yet). New nullable columns without a
 * default: adding them rewrites no row of a large fleet.
 */
export const actionStatusMigrationSteps = (schema: string): SchemaMigration[] => [
  {
    id: '005-target-action-status',
    up: `
alter table ${schema}.targets
  add column status_action_id bigint,
  add column status_action_at bigint,
  add column installed_action_id bigint,
  add column installed_action_at bigint;
create table ${schema}.rollout_failed_targets (
  rollout_id bigint not null,
  target_id bigint not null,
  action_id bigint not null,
  failed_at bigint not null,
  primary key (rollout_id, target_id)
);
create table ${schema}.rollout_action_tally (
  rollout_id bigint primary key,
  scheduled bigint not null default 0,
  settled bigint not null default 0
);
`,
  },
];

/**
 * Step 009: a target's status follows each of its actions twice (activated, then final), so
 * those writes stay on the row's page as heap-only updates, touching none of the target's ten
 * indexes: no index covers a column the consumer writes (update status, assigned and installed
 * sets, last modified), and pages keep room for the new row version. A filter on `updateStatus`
 * or a sort on `lastModifiedAt` scans the targets instead. The fill factor applies to pages
 * written from now on; `vacuum full` of the table applies it to an existing fleet's rows.
 */
export const targetStatusInPlace = (schema: string): SchemaMigration => ({
  id: '009-target-status-in-place',
  up: `
drop index if exists ${schema}.targets_update_status;
drop index if exists ${schema}.targets_last_modified_at;
alter table ${schema}.targets set (fillfactor = 70);
`,
});

/**
 * Step 010: room for a second version of every row on a page. One statement writes the status of
 * a whole batch of targets, and a group's targets sit together, so it often updates every row of
 * a page at once; versions written by the running transaction cannot be pruned to make room, so
 * with 30% free only about a third of them stayed heap-only and the rest wrote all ten indexes.
 * Pages filled to 45% take a second version of each of their rows (and a row grown by new
 * attributes); the old versions are pruned before the next change comes.
 */
export const targetStatusRoomForBatches = (schema: string): SchemaMigration => ({
  id: '010-target-status-room-for-batches',
  up: `alter table ${schema}.targets set (fillfactor = 45);`,
});

/**
 * Step 011: room for two more versions of every row on a page. Measured over 10k-device
 * rollouts, a fifth of the second status writes still left the page and wrote all ten indexes:
 * a device that finishes within a second of its activation meets the first new version of its
 * row still visible to some running transaction, so it cannot be pruned yet. Pages filled to
 * 30% hold a row, its pending version and its final version, so both writes stay heap-only.
 */
export const targetStatusRoomForTwoWrites = (schema: string): SchemaMigration => ({
  id: '011-target-status-room-for-two-writes',
  up: `alter table ${schema}.targets set (fillfactor = 30);`,
});
