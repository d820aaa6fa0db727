import type { SqlExecutor } from '@fleetwave/event-store';

/** A scheduled start that is due to be looked at. */
export interface DueStart {
  rolloutId: number;
  startAt: number;
}

/** The `rollout_scheduled_starts` table: the durable timers of `startAt`. */
export class ScheduledStartStore {
  constructor(private readonly schema: string) {}

  /** Records a start at `startAt`; call it in the transaction that records RolloutCreated. */
  async schedule(tx: SqlExecutor, rolloutId: number, startAt: number): Promise<void> {
    await tx.query(
      `insert into ${this.schema}.rollout_scheduled_starts (rollout_id, start_at_ms, next_check_ms)
       values ($1, $2, $2) on conflict (rollout_id) do nothing`,
      [rolloutId, startAt],
    );
  }

  /**
   * Locks up to `limit` starts due by `now`, longest due first, skipping those another instance
   * holds, so each is worked by one instance at a time.
   */
  async claimDue(tx: SqlExecutor, now: number, limit: number): Promise<DueStart[]> {
    const { rows } = await tx.query<{ rollout_id: string; start_at_ms: string }>(
      `select rollout_id, start_at_ms from ${this.schema}.rollout_scheduled_starts
       where next_check_ms <= $1 order by next_check_ms, rollout_id limit $2 for update skip locked`,
      [now, limit],
    );
    return rows.map((r) => ({ rolloutId: Number(r.rollout_id), startAt: Number(r.start_at_ms) }));
  }

  /** The start happened or can no longer happen. */
  async remove(tx: SqlExecutor, rolloutIds: number[]): Promise<void> {
    if (rolloutIds.length === 0) return;
    await tx.query(`delete from ${this.schema}.rollout_scheduled_starts where rollout_id = any($1::bigint[])`, [
      rolloutIds,
    ]);
  }

  /** Not startable yet (creating, waiting for approval): look again at `at`. */
  async postpone(tx: SqlExecutor, rolloutIds: number[], at: number): Promise<void> {
    if (rolloutIds.length === 0) return;
    await tx.query(
      `update ${this.schema}.rollout_scheduled_starts set next_check_ms = $2 where rollout_id = any($1::bigint[])`,
      [rolloutIds, at],
    );
  }

  async find(db: SqlExecutor, rolloutId: number): Promise<DueStart | undefined> {
    const { rows } = await db.query<{ rollout_id: string; start_at_ms: string }>(
      `select rollout_id, start_at_ms from ${this.schema}.rollout_scheduled_starts where rollout_id = $1`,
      [rolloutId],
    );
    return rows[0] && { rolloutId: Number(rows[0].rollout_id), startAt: Number(rows[0].start_at_ms) };
  }
}
