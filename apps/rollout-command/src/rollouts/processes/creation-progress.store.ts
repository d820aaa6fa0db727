import type { SqlExecutor } from '@fleetwave/event-store';
import type { GroupCursor } from '../domain/membership-chunk';
import type { PlannedGroup } from './explicit-group-resolver';

/** A rollout creation still (or no longer) writing membership, with its resumable cursor. */
export interface CreationProgress {
  rolloutId: number;
  targetFilterQuery: string;
  /** Targets created after this instant (epoch ms) are not part of the rollout. */
  cutoff: number;
  groupIds: number[];
  totalTargets: number;
  cursor: GroupCursor;
  /** Keyset position: the highest target id already assigned. */
  lastTargetId: number;
  assigned: number;
  /** Chunk transactions committed so far. */
  chunks: number;
  /** Events in the membership stream so far (its next revision). */
  membershipEvents: number;
  done: boolean;
  /** An explicit split's groups (absent for amountGroups, which deals by `cursor`). */
  groupPlan?: PlannedGroup[];
  /** An explicit split's members per group so far. */
  groupAssigned?: number[];
}

/** What a chunk changes on its progress row. */
export type ProgressAdvance = Pick<
  CreationProgress,
  'cursor' | 'lastTargetId' | 'assigned' | 'chunks' | 'membershipEvents' | 'done'
> &
  Pick<CreationProgress, 'groupAssigned'>;

interface ProgressRow {
  rollout_id: string;
  target_filter_query: string;
  cutoff_ms: string;
  group_ids: string[];
  total_targets: number;
  group_index: number;
  taken_in_group: number;
  last_target_id: string;
  assigned: number;
  chunks: number;
  membership_events: number;
  done: boolean;
  group_plan: PlannedGroup[] | null;
  group_assigned: number[] | null;
}

const toProgress = (row: ProgressRow): CreationProgress => ({
  rolloutId: Number(row.rollout_id),
  targetFilterQuery: row.target_filter_query,
  cutoff: Number(row.cutoff_ms),
  groupIds: row.group_ids.map(Number),
  totalTargets: row.total_targets,
  cursor: { groupIndex: row.group_index, takenInGroup: row.taken_in_group },
  lastTargetId: Number(row.last_target_id),
  assigned: row.assigned,
  chunks: row.chunks,
  membershipEvents: row.membership_events,
  done: row.done,
  ...(row.group_plan ? { groupPlan: row.group_plan, groupAssigned: row.group_assigned ?? [] } : {}),
});

/** The `rollout_creation_progress` table: one row per rollout creation. */
export class CreationProgressStore {
  constructor(readonly schema: string) {}

  /** Records a creation to be worked; call it in the transaction that records RolloutCreated. */
  async register(
    tx: SqlExecutor,
    creation: Pick<CreationProgress, 'rolloutId' | 'targetFilterQuery' | 'cutoff' | 'groupIds' | 'totalTargets'> &
      Pick<CreationProgress, 'groupPlan'>,
  ): Promise<void> {
    const plan = creation.groupPlan;
    await tx.query(
      `insert into ${this.schema}.rollout_creation_progress
         (rollout_id, target_filter_query, cutoff_ms, group_ids, total_targets, group_plan, group_assigned)
       values ($1, $2, $3, $4::bigint[], $5, $6::jsonb, $7::integer[]) on conflict (rollout_id) do nothing`,
      [
        creation.rolloutId,
        creation.targetFilterQuery,
        creation.cutoff,
        creation.groupIds,
        creation.totalTargets,
        plan ? JSON.stringify(plan) : null,
        plan ? plan.map(() => 0) : null,
      ],
    );
  }

  /**
   * Locks the pending creation that waited longest for a chunk, skipping those another worker
   * holds, so several instances share creations and one rollout never has two chunks at once.
   */
  async claimNext(tx: SqlExecutor): Promise<CreationProgress | undefined> {
    const { rows } = await tx.query<ProgressRow>(
      `select * from ${this.schema}.rollout_creation_progress where not done
       order by updated_at, rollout_id limit 1 for update skip locked`,
    );
    return rows[0] && toProgress(rows[0]);
  }

  async advance(tx: SqlExecutor, rolloutId: number, next: ProgressAdvance): Promise<void> {
    await tx.query(
      `update ${this.schema}.rollout_creation_progress
         set group_index = $2, taken_in_group = $3, last_target_id = $4, assigned = $5, chunks = $6,
             membership_events = $7, done = $8, group_assigned = coalesce($9::integer[], group_assigned),
             last_error = null, updated_at = clock_timestamp()
       where rollout_id = $1`,
      [
        rolloutId,
        next.cursor.groupIndex,
        next.cursor.takenInGroup,
        next.lastTargetId,
        next.assigned,
        next.chunks,
        next.membershipEvents,
        next.done,
        next.groupAssigned ?? null,
      ],
    );
  }

  /**
   * Waits for the chunk in flight of this rollout's creation, if any, and keeps the next one from
   * starting until the caller's transaction ends (chunks skip a locked row). Take it first thing
   * in the transaction. A rollout whose creation has no row takes nothing.
   */
  async lock(tx: SqlExecutor, rolloutId: number): Promise<void> {
    await tx.query(`select 1 from ${this.schema}.rollout_creation_progress where rollout_id = $1 for update`, [
      rolloutId,
    ]);
  }

  /**
   * Counts membership events appended after creation (a dynamic rollout's intake), so the
   * membership stream's next revision stays known in one place. Call it with the row locked.
   */
  async recordMembershipEvents(tx: SqlExecutor, rolloutId: number, membershipEvents: number): Promise<void> {
    await tx.query(
      `update ${this.schema}.rollout_creation_progress set membership_events = $2, updated_at = clock_timestamp()
       where rollout_id = $1`,
      [rolloutId, membershipEvents],
    );
  }

  /** Ends a creation whose rollout left `creating` (stopped, removed): no chunk claims it again. */
  async end(tx: SqlExecutor, rolloutId: number): Promise<void> {
    await tx.query(
      `update ${this.schema}.rollout_creation_progress set done = true, updated_at = clock_timestamp()
       where rollout_id = $1 and not done`,
      [rolloutId],
    );
  }

  /** Notes a failed chunk and sends the creation to the back of the queue, so others still move. */
  async recordFailure(db: SqlExecutor, rolloutId: number, reason: string): Promise<void> {
    await db.query(
      `update ${this.schema}.rollout_creation_progress set last_error = $2, updated_at = clock_timestamp()
       where rollout_id = $1 and not done`,
      [rolloutId, reason.slice(0, 2_000)],
    );
  }

  async find(db: SqlExecutor, rolloutId: number): Promise<CreationProgress | undefined> {
    const { rows } = await db.query<ProgressRow>(
      `select * from ${this.schema}.rollout_creation_progress where rollout_id = $1`,
      [rolloutId],
    );
    return rows[0] && toProgress(rows[0]);
  }
}
