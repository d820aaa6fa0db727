import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { sqlState, SqlStates } from '@fleetwave/platform';
import { DATABASE_POOL } from '../../../shared/tokens';
import { ApplicationError, notFound } from '../../../shared/application-error';
import { INVENTORY_SCHEMA } from '../../../inventory/inventory.migration';
import { targetColumns, TargetRow, targetViewOf, type TargetView } from '../../target.view';
import { notifyTargetsAdded } from '../../../rollouts/processes/dynamic-intake.worker';

/** One target to create; its name defaults to the controllerId, its type to none. */
export interface NewTarget {
  controllerId: string;
  name?: string;
  description?: string;
  targetType?: number;
}

/**
 * hawkBit's create of targets: an array, all or nothing; a controllerId given twice is a 400, a
 * known one a 409, an unknown target type a 404. Answers the targets in request order.
 */
@Injectable()
export class CreateTargets {
  constructor(@Inject(DATABASE_POOL) private readonly pool: Pool) {}

  async create(targets: NewTarget[], user: string): Promise<TargetView[]> {
    const ids = targets.map((t) => t.controllerId);
    if (new Set(ids).size !== ids.length) {
      throw new ApplicationError(
        'bad_request',
        'hawkbit.server.error.repo.constraintViolation',
        'duplicate controllerId in request',
      );
    }
    const typeIds = [...new Set(targets.flatMap((t) => (t.targetType === undefined ? [] : [t.targetType])))];
    if (typeIds.length > 0) {
      const known = await this.pool.query<{ id: string }>(
        `select id from ${INVENTORY_SCHEMA}.target_types where id = any($1::bigint[])`,
        [typeIds],
      );
      const missing = typeIds.filter((id) => !known.rows.some((r) => Number(r.id) === id));
      if (missing.length > 0) throw notFound('TargetType', missing.join(', '));
    }
    // One set-based statement for the whole array: a known controllerId fails it as a whole
    // (all or nothing without an explicit transaction); only then are the taken ids looked up.
    let rows: TargetRow[];
    try {
      ({ rows } = await this.pool.query<TargetRow>(
        `insert into ${INVENTORY_SCHEMA}.targets
           (controller_id, name, description, target_type_id, target_type, created_by, last_modified_by)
         select c, coalesce(n, c), d, y, (select key from ${INVENTORY_SCHEMA}.target_types where id = y), $5, $5
         from unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) with ordinality as x(c, n, d, y, i)
         order by i
         returning ${targetColumns}`,
        [
          ids,
          targets.map((t) => t.name ?? null),
          targets.map((t) => t.description ?? null),
          targets.map((t) => t.targetType ?? null),
          user,
        ],
      ));
    } catch (error) {
      if (sqlState(error) !== SqlStates.uniqueViolation) throw error;
      const taken = await this.pool.query<{ controller_id: string }>(
        `select controller_id from ${INVENTORY_SCHEMA}.targets where controller_id = any($1::text[]) order by controller_id`,
        [ids],
      );
      throw new ApplicationError(
        'conflict',
        'hawkbit.server.error.repo.entitiyAlreayExists',
        `target already exists: ${taken.rows.map((r) => r.controller_id).join(', ')}`,
      );
    }
    // Running dynamic rollouts take new targets in: wake their intake (the insert has committed).
    await notifyTargetsAdded(this.pool, INVENTORY_SCHEMA);
    return rows.map(targetViewOf);
  }
}
