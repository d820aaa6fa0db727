import type { SqlExecutor } from '@fleetwave/event-store';
import { sqlState } from '@fleetwave/platform';
import { ApplicationError } from '../shared/application-error';

/** The `rollout_names` table: a rollout name is unique among the rollouts that exist. */
export class RolloutNamesStore {
  constructor(private readonly schema: string) {}

  /** Gives the rollout its new name, or 409 when another rollout has it. */
  async rename(tx: SqlExecutor, rolloutId: number, name: string): Promise<void> {
    try {
      await tx.query(`update ${this.schema}.rollout_names set name = $2 where rollout_id = $1 and name <> $2`, [
        rolloutId,
        name,
      ]);
    } catch (error) {
      if (sqlState(error) === '23505') throw nameTaken(name);
      throw error;
    }
  }

  /** A removed rollout's name can be used again. */
  async free(tx: SqlExecutor, rolloutId: number): Promise<void> {
    await tx.query(`delete from ${this.schema}.rollout_names where rollout_id = $1`, [rolloutId]);
  }
}

export const nameTaken = (name: string): ApplicationError =>
  new ApplicationError('conflict', 'hawkbit.server.error.repo.entitiyAlreayExists', `a rollout named "${name}" exists`);
