import type { Pool } from 'pg';
import type { GroupMember } from '@fleetwave/contracts';
import type { SqlExecutor } from '@fleetwave/event-store';
import { compileRolloutTargetFilter } from '../commands/retry-rollout/failed-targets.filter';
import { PAGE_SCAN_SPAN, PAGE_TIME_BUDGET_MS, readWindows, type WindowPage } from './id-window';

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
    readonly span = PAGE_SCAN_SPAN,
    readonly budgetMs = PAGE_TIME_BUDGET_MS,
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
   * Up to `limit` matching targets with an id above `afterId`, in id order, looking at no more
   * than a few windows of `span` ids (see {@link readWindows}): a short page is not the end unless
   * it says it is exhausted. Within the window the planner may take the id index or a filter index
   * and sort, since either is bounded by the window.
   */
  async page(
    filterQuery: string,
    cutoff: number,
    afterId: number,
    limit: number,
    tx: SqlExecutor,
  ): Promise<WindowPage<GroupMember>> {
    const { where, params } = compileRolloutTargetFilter(filterQuery, this.schema);
    const n = params.length;
    const page = { afterId, limit, span: this.span, budgetMs: this.budgetMs };
    return readWindows(
      tx,
      this.schema,
      page,
      (m) => m.targetId,
      async (after, upTo, wanted) => {
        const { rows } = await tx.query<{ id: string; controller_id: string }>(
          `select t.id, t.controller_id from ${this.schema}.targets t
         where (${where}) and t.created_at <= to_timestamp($${n + 1} / 1000.0) and t.id > $${n + 2} and t.id <= $${n + 3}
         order by t.id limit $${n + 4}`,
          [...params, cutoff, after, upTo, wanted],
        );
        return rows.map((r) => ({ targetId: Number(r.id), controllerId: r.controller_id }));
      },
    );
  }
}
