import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { GroupMember } from '@fleetwave/contracts';
import type { SqlExecutor } from '@fleetwave/event-store';
import { DATABASE_POOL } from '../../shared/tokens';
import { INVENTORY_SCHEMA } from '../../inventory/inventory.migration';
import { compileTargetFilter } from '../../targets/target-filter';

/**
 * Resolves a rollout's target set: the filter's match among targets that existed at creation
 * time, streamed in id order by keyset pagination so memory stays flat however large the fleet.
 */
@Injectable()
export class TargetResolver {
  constructor(@Inject(DATABASE_POOL) private readonly pool: Pool) {}

  async count(filterQuery: string, cutoff: number, db: SqlExecutor = this.pool): Promise<number> {
    const { where, params } = compileTargetFilter(filterQuery);
    const { rows } = await db.query<{ n: string }>(
      `select count(*) as n from ${INVENTORY_SCHEMA}.targets t
       where (${where}) and t.created_at <= to_timestamp($${params.length + 1} / 1000.0)`,
      [...params, cutoff],
    );
    return Number(rows[0].n);
  }

  async *members(
    filterQuery: string,
    cutoff: number,
    db: SqlExecutor,
    batchSize = 1_000,
  ): AsyncGenerator<GroupMember[]> {
    const { where, params } = compileTargetFilter(filterQuery);
    const n = params.length;
    for (let afterId = 0; ;) {
      const { rows } = await db.query<{ id: string; controller_id: string }>(
        `select t.id, t.controller_id from ${INVENTORY_SCHEMA}.targets t
         where (${where}) and t.created_at <= to_timestamp($${n + 1} / 1000.0) and t.id > $${n + 2}
         order by t.id limit $${n + 3}`,
        [...params, cutoff, afterId, batchSize],
      );
      if (rows.length === 0) return;
      yield rows.map((r) => ({ targetId: Number(r.id), controllerId: r.controller_id }));
      afterId = Number(rows[rows.length - 1].id);
    }
  }
}
