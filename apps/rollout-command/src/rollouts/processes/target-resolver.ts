import type { Pool } from 'pg';
import type { GroupMember } from '@fleetwave/contracts';
import type { SqlExecutor } from '@fleetwave/event-store';
import { compileRolloutTargetFilter } from '../commands/retry-rollout/failed-targets.filter';

/**
 * Resolves a rollout's target set: the filter's match among targets that existed at creation
 * time (the cutoff), read in id order by keyset pagination so memory stays flat however large
 * the fleet. The cutoff and the id order make the set and its order the same on every read,
 * which is what lets creation resume from a stored last id. A retry's filter
 * (`failedrollout==<id>`, see failed-targets.filter.ts) resolves the same way.
 */
export class TargetResolver {
  constructor(
    private readonly pool: Pool,
    readonly schema: string,
  ) {}

  async count(filterQuery: string, cutoff: number, db: SqlExecutor = this.pool): Promise<number> {
    const { where, params } = compileRolloutTargetFilter(filterQuery, this.schema);
    const { rows } = await db.query<{ n: string }>(
      `select count(*) as n from ${this.schema}.targets t
       where (${where}) and t.created_at <= to_timestamp($${params.length + 1} / 1000.0)`,
      [...params, cutoff],
    );
    return Number(rows[0].n);
  }

  /**
   * Up to `limit` matching targets with an id above `afterId`, in id order. Run it in a
   * transaction: the planner underestimates how many rows a filter matches and would then scan
   * the whole table and sort it for every page; so for this query sorting is switched off (the
   * id index gives the order) and so are parallel workers (their start-up outweighs a page).
   */
  async page(
    filterQuery: string,
    cutoff: number,
    afterId: number,
    limit: number,
    tx: SqlExecutor,
  ): Promise<GroupMember[]> {
    const { where, params } = compileRolloutTargetFilter(filterQuery, this.schema);
    const n = params.length;
    const saved = await tx.query<{ sort: string; workers: string }>(
      `select current_setting('enable_sort') as sort, current_setting('max_parallel_workers_per_gather') as workers,
              set_config('enable_sort', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)`,
    );
    const { rows } = await tx.query<{ id: string; controller_id: string }>(
      `select t.id, t.controller_id from ${this.schema}.targets t
       where (${where}) and t.created_at <= to_timestamp($${n + 1} / 1000.0) and t.id > $${n + 2}
       order by t.id limit $${n + 3}`,
      [...params, cutoff, afterId, limit],
    );
    // The rest of the transaction (the event store's appends) needs its sorts back.
    await tx.query(
      `select set_config('enable_sort', $1, true), set_config('max_parallel_workers_per_gather', $2, true)`,
      [saved.rows[0].sort, saved.rows[0].workers],
    );
    return rows.map((r) => ({ targetId: Number(r.id), controllerId: r.controller_id }));
  }
}
