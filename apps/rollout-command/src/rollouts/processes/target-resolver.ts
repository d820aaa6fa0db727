import type { Pool } from 'pg';
import type { GroupMember } from '@fleetwave/contracts';
import type { SqlExecutor } from '@fleetwave/event-store';
import { compileRolloutTargetFilter } from '../commands/retry-rollout/failed-targets.filter';
import { PAGE_SCAN_SPAN, readWindow, type WindowPage } from './id-window';

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
   * than the next `span` ids (see {@link PAGE_SCAN_SPAN}): a short page is not the end unless it
   * says it is exhausted. Within the window the planner may take the id index or a filter index
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
    return readWindow(
      tx,
      this.schema,
      afterId,
      limit,
      this.span,
      (m) => m.targetId,
      async (upTo) => {
        const { rows } = await tx.query<{ id: string; controller_id: string }>(
          `select t.id, t.controller_id from ${this.schema}.targets t
         where (${where}) and t.created_at <= to_timestamp($${n + 1} / 1000.0) and t.id > $${n + 2} and t.id <= $${n + 3}
         order by t.id limit $${n + 4}`,
          [...params, cutoff, afterId, upTo, limit],
        );
        return rows.map((r) => ({ targetId: Number(r.id), controllerId: r.controller_id }));
      },
    );
  }
}
