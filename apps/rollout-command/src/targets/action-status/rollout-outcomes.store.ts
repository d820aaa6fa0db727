import type { SqlExecutor } from '@fleetwave/event-store';

/** What the action-status consumer has recorded of a rollout's actions so far. */
export interface RolloutOutcomes {
  /** Targets (still in the inventory) whose action ended in error. */
  failedTargets: number;
  /** Actions scheduled, and how many of them became final; 0 scheduled: nothing heard yet. */
  scheduled: number;
  settled: number;
}

/** Reads the failed targets and action tallies per rollout (the tables the consumer writes). */
export class RolloutOutcomesStore {
  constructor(readonly schema: string) {}

  async read(db: SqlExecutor, rolloutId: number): Promise<RolloutOutcomes> {
    const { rows } = await db.query<{ failed: string; scheduled: string | null; settled: string | null }>(
      `select (select count(*) from ${this.schema}.rollout_failed_targets f
                 join ${this.schema}.targets t on t.id = f.target_id where f.rollout_id = $1) as failed,
              tally.scheduled, tally.settled
       from (select 1) one
       left join ${this.schema}.rollout_action_tally tally on tally.rollout_id = $1`,
      [rolloutId],
    );
    return {
      failedTargets: Number(rows[0].failed),
      scheduled: Number(rows[0].scheduled ?? 0),
      settled: Number(rows[0].settled ?? 0),
    };
  }
}

/**
 * Whether every outcome of a finished rollout is recorded: all its actions are final by then,
 * but the action events may still be on their way to this service. A rollout of which nothing
 * was heard (scheduled 0) has nothing to wait for.
 */
export const outcomesComplete = ({ scheduled, settled }: RolloutOutcomes): boolean => settled >= scheduled;
