import type { SchemaMigration } from '@fleetwave/platform';

/**
 * Step 004: progress over time. `progress_buckets` holds, per rollout, group and time bucket, the
 * net change of each status bucket in that bucket (deltas, not totals): sums commute, so the rows
 * come out the same whatever order the two topics are projected in (a rebuild reads them in
 * another interleaving than the live consumer did), and the cumulative counts a chart plots are
 * a running sum at read time. `downloaded` is kept apart from `running` because it counts as
 * finished for a download-only rollout, whose action type the action topic does not carry.
 *
 * Buckets are 1 s (`bucket_ms` 1000) while the rollout runs; once it has ended (finished,
 * stopped, deleted) they are rolled up into 1 min buckets (`bucket_ms` 60000), a bounded number
 * of rows per transaction (`rollup_pending` marks a rollout with 1 s rows left), and deltas that
 * arrive after the end go to the minute bucket at once. `removed` marks a rollout deleted before
 * it started, whose later deltas are dropped.
 */
export function progressBucketsMigration(S: string): SchemaMigration {
  return {
    id: '004-progress-buckets',
    up: `
create table ${S}.progress_rollouts (
  rollout_id bigint primary key,
  ended_at bigint,
  rollup_pending boolean not null default false,
  removed boolean not null default false
);
create index progress_rollouts_rollup_pending on ${S}.progress_rollouts (rollout_id) where rollup_pending;
create table ${S}.progress_buckets (
  rollout_id bigint not null,
  group_id bigint not null,
  bucket_ms integer not null,
  at bigint not null,
  scheduled integer not null default 0,
  running integer not null default 0,
  downloaded integer not null default 0,
  finished integer not null default 0,
  error integer not null default 0,
  cancelled integer not null default 0,
  primary key (rollout_id, bucket_ms, group_id, at)
);
`,
  };
}
