import type { BatchHandler } from '@fleetwave/messaging';
import { withTransaction } from '@fleetwave/platform';
import type { Envelope } from '@fleetwave/service-kit';
import type { Pool, PoolClient } from 'pg';
import { REPORTING_SCHEMA as S } from '../rollout-progress/rollout-progress.migration';
import {
  bucketRows,
  MINUTE_MS,
  planProgressHistory,
  SECOND_MS,
  type BucketRow,
  type RolloutResolution,
} from './progress-buckets.plan';

/** Most 1 s rows one transaction rolls up into minute buckets; the rest goes in later ones. */
export const defaultRollupLimit = 5_000;

/**
 * Projects action status deltas into time buckets per rollout and group (see the migration).
 * Each batch locks the rows of the rollouts it touches, in id order, so a batch of action events
 * and the batch that ends the rollout never interleave: either the deltas land as 1 s rows before
 * the end and are rolled up with the others, or they see the end and go to the minute bucket.
 */
export class ProgressBucketsProjection {
  constructor(private readonly rollupLimit = defaultRollupLimit) {}

  readonly handleBatch: BatchHandler<Envelope> = async (items, { tx }) => {
    const plan = planProgressHistory(items);
    const touched = [
      ...new Set([...plan.deltas.map((d) => d.rolloutId), ...plan.ended.map((e) => e.rolloutId), ...plan.removed]),
    ].sort((a, b) => a - b);
    if (touched.length > 0) {
      const resolution = await this.lockRollouts(tx, touched);
      for (const { rolloutId } of plan.ended) {
        resolution.set(rolloutId, { removed: resolution.get(rolloutId)?.removed ?? false, ended: true });
      }
      for (const rolloutId of plan.removed) resolution.set(rolloutId, { ended: true, removed: true });
      await this.addDeltas(tx, bucketRows(plan.deltas, resolution));
      await this.markEnded(tx, plan.ended);
      await this.remove(tx, plan.removed);
    }
    await this.rollUp(tx);
    return { ignored: plan.ignored };
  };

  /**
   * Rolls up every ended rollout's remaining 1 s rows, a bounded transaction at a time (for tools
   * and tests); waits, bounded, for rollouts another transaction holds.
   */
  async finishRollups(pool: Pool, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await withTransaction(pool, (tx) => this.rollUp(tx))) continue;
      const { rows } = await pool.query(`select 1 from ${S}.progress_rollouts where rollup_pending limit 1`);
      if (rows.length === 0) return;
      if (Date.now() > deadline) throw new Error(`rollups still pending after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private async lockRollouts(tx: PoolClient, ids: number[]): Promise<Map<number, RolloutResolution>> {
    await tx.query(
      `insert into ${S}.progress_rollouts (rollout_id) select unnest($1::bigint[]) on conflict (rollout_id) do nothing`,
      [ids],
    );
    const { rows } = await tx.query<{ rollout_id: string; ended_at: string | null; removed: boolean }>(
      `select rollout_id, ended_at, removed from ${S}.progress_rollouts
       where rollout_id = any($1::bigint[]) order by rollout_id for update`,
      [ids],
    );
    return new Map(rows.map((r) => [Number(r.rollout_id), { ended: r.ended_at !== null, removed: r.removed }]));
  }

  private async addDeltas(tx: PoolClient, rows: BucketRow[]): Promise<void> {
    if (rows.length === 0) return;
    await tx.query(
      `insert into ${S}.progress_buckets as b
         (rollout_id, group_id, bucket_ms, at, scheduled, running, downloaded, finished, error, cancelled)
       select * from unnest($1::bigint[], $2::bigint[], $3::int[], $4::bigint[], $5::int[], $6::int[], $7::int[],
         $8::int[], $9::int[], $10::int[])
       on conflict (rollout_id, bucket_ms, group_id, at) do update set
         scheduled = b.scheduled + excluded.scheduled,
         running = b.running + excluded.running,
         downloaded = b.downloaded + excluded.downloaded,
         finished = b.finished + excluded.finished,
         error = b.error + excluded.error,
         cancelled = b.cancelled + excluded.cancelled`,
      [
        rows.map((r) => r.rolloutId),
        rows.map((r) => r.groupId),
        rows.map((r) => r.bucketMs),
        rows.map((r) => r.at),
        rows.map((r) => r.deltas.scheduled),
        rows.map((r) => r.deltas.running),
        rows.map((r) => r.deltas.downloaded),
        rows.map((r) => r.deltas.finished),
        rows.map((r) => r.deltas.error),
        rows.map((r) => r.deltas.cancelled),
      ],
    );
  }

  /** The first end wins; a rollout that just ended has 1 s rows to roll up. */
  private async markEnded(tx: PoolClient, ended: { rolloutId: number; endedAt: number }[]): Promise<void> {
    if (ended.length === 0) return;
    await tx.query(
      `update ${S}.progress_rollouts p set ended_at = x.ended_at, rollup_pending = true
       from unnest($1::bigint[], $2::bigint[]) as x(rollout_id, ended_at)
       where p.rollout_id = x.rollout_id and p.ended_at is null`,
      [ended.map((e) => e.rolloutId), ended.map((e) => e.endedAt)],
    );
  }

  /** A rollout deleted before it started keeps a marker only, so that late deltas stay dropped. */
  private async remove(tx: PoolClient, removed: number[]): Promise<void> {
    if (removed.length === 0) return;
    await tx.query(
      `update ${S}.progress_rollouts set removed = true, rollup_pending = false where rollout_id = any($1::bigint[])`,
      [removed],
    );
    await tx.query(`delete from ${S}.progress_buckets where rollout_id = any($1::bigint[])`, [removed]);
  }

  /**
   * Moves up to `rollupLimit` 1 s rows of ended rollouts into their minute buckets; rollouts that
   * another transaction holds are left for the next one. Returns whether any row moved.
   */
  private async rollUp(tx: PoolClient): Promise<boolean> {
    const { rows: pending } = await tx.query<{ rollout_id: string }>(
      `select rollout_id from ${S}.progress_rollouts where rollup_pending
       order by rollout_id limit 16 for update skip locked`,
    );
    if (pending.length === 0) return false;
    const ids = pending.map((p) => p.rollout_id);
    const moved = await tx.query(
      `with victims as (
         select rollout_id, group_id, at from ${S}.progress_buckets
         where rollout_id = any($1::bigint[]) and bucket_ms = ${SECOND_MS}
         order by rollout_id, group_id, at limit $2
       ), gone as (
         delete from ${S}.progress_buckets b using victims v
         where b.rollout_id = v.rollout_id and b.bucket_ms = ${SECOND_MS} and b.group_id = v.group_id and b.at = v.at
         returning b.*
       )
       insert into ${S}.progress_buckets as b
         (rollout_id, group_id, bucket_ms, at, scheduled, running, downloaded, finished, error, cancelled)
       select rollout_id, group_id, ${MINUTE_MS}, at - at % ${MINUTE_MS}, sum(scheduled), sum(running),
         sum(downloaded), sum(finished), sum(error), sum(cancelled)
       from gone group by rollout_id, group_id, at - at % ${MINUTE_MS}
       order by 1, 2, 4
       on conflict (rollout_id, bucket_ms, group_id, at) do update set
         scheduled = b.scheduled + excluded.scheduled,
         running = b.running + excluded.running,
         downloaded = b.downloaded + excluded.downloaded,
         finished = b.finished + excluded.finished,
         error = b.error + excluded.error,
         cancelled = b.cancelled + excluded.cancelled`,
      [ids, this.rollupLimit],
    );
    await tx.query(
      `update ${S}.progress_rollouts p set rollup_pending = false
       where p.rollout_id = any($1::bigint[]) and not exists (
         select 1 from ${S}.progress_buckets b where b.rollout_id = p.rollout_id and b.bucket_ms = ${SECOND_MS})`,
      [ids],
    );
    return (moved.rowCount ?? 0) > 0 || pending.length > 0;
  }
}
