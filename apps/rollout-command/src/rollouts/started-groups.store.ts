import type { SqlExecutor } from '@fleetwave/event-store';

/**
 * The `rollout_started_groups` table: which groups the group workflow has started, from its
 * RolloutGroupStarted events. A rollout has a scheduled group left while fewer of its groups
 * are here than it has groups.
 */
export class StartedGroupsStore {
  constructor(private readonly schema: string) {}

  /** Records a batch of starts at once; a redelivered start changes nothing. */
  async record(tx: SqlExecutor, starts: { rolloutId: number; groupId: number }[]): Promise<void> {
    if (starts.length === 0) return;
    await tx.query(
      `insert into ${this.schema}.rollout_started_groups (rollout_id, group_id)
       select * from unnest($1::bigint[], $2::bigint[]) on conflict do nothing`,
      [starts.map((s) => s.rolloutId), starts.map((s) => s.groupId)],
    );
  }

  async count(db: SqlExecutor, rolloutId: number): Promise<number> {
    const { rows } = await db.query<{ n: number }>(
      `select count(*)::int as n from ${this.schema}.rollout_started_groups where rollout_id = $1`,
      [rolloutId],
    );
    return rows[0].n;
  }

  async forget(tx: SqlExecutor, rolloutId: number): Promise<void> {
    await tx.query(`delete from ${this.schema}.rollout_started_groups where rollout_id = $1`, [rolloutId]);
  }
}
