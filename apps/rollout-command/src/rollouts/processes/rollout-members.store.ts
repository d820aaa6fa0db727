import type { SqlExecutor } from '@fleetwave/event-store';
import type { GroupMember } from '@fleetwave/contracts';

/** Members of one group, as a membership chunk assigns them. */
export interface GroupMembers {
  groupId: number;
  members: readonly GroupMember[];
}

/**
 * The `rollout_members` table: one row per target of a rollout, with its group. Written in the
 * transaction of every membership chunk (creation, retry, dynamic intake), so that it always
 * agrees with the membership stream.
 */
export class RolloutMembersStore {
  constructor(readonly schema: string) {}

  /** One set-based insert for a whole chunk; a target already in the rollout fails the chunk (a bug upstream). */
  async add(tx: SqlExecutor, rolloutId: number, groups: readonly GroupMembers[]): Promise<void> {
    const groupIds: number[] = [];
    const targetIds: number[] = [];
    for (const { groupId, members } of groups) {
      for (const m of members) {
        groupIds.push(groupId);
        targetIds.push(m.targetId);
      }
    }
    if (targetIds.length === 0) return;
    await tx.query(
      `insert into ${this.schema}.rollout_members (rollout_id, group_id, target_id)
       select $1, g, t from unnest($2::bigint[], $3::bigint[]) as x(g, t)`,
      [rolloutId, groupIds, targetIds],
    );
  }

  /** Forgets a removed rollout's members (it never started, so no action stands for them). */
  async remove(tx: SqlExecutor, rolloutId: number): Promise<void> {
    await tx.query(`delete from ${this.schema}.rollout_members where rollout_id = $1`, [rolloutId]);
  }

  /** How many members a group has. */
  async count(db: SqlExecutor, groupId: number): Promise<number> {
    const { rows } = await db.query<{ n: string }>(
      `select count(*) as n from ${this.schema}.rollout_members where group_id = $1`,
      [groupId],
    );
    return Number(rows[0].n);
  }
}
