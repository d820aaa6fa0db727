import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DATABASE_POOL } from '../../../shared/tokens';
import { notFound } from '../../../shared/application-error';
import { INVENTORY_SCHEMA } from '../../../inventory/inventory.migration';
import { targetColumns, TargetRow, targetViewOf, type TargetView } from '../../target.view';

const S = INVENTORY_SCHEMA;

/** A change of a target; absent fields stay as they are. */
export interface TargetChange {
  name?: string;
  description?: string;
  targetType?: number;
}

/**
 * Changes and deletes of one target, and of its type, addressed by controllerId as in hawkBit:
 * an unknown target or target type is a 404. Each records who made it.
 */
@Injectable()
export class TargetChanges {
  constructor(@Inject(DATABASE_POOL) private readonly pool: Pool) {}

  async update(controllerId: string, change: TargetChange, user: string): Promise<TargetView> {
    if (change.targetType !== undefined) await this.requireType(change.targetType);
    const { rows } = await this.pool.query<TargetRow>(
      `with updated as (
         update ${S}.targets set name = coalesce($2, name), description = coalesce($3, description),
           target_type_id = coalesce($4, target_type_id),
           target_type = coalesce((select key from ${S}.target_types where id = $4), target_type),
           last_modified_at = now(), last_modified_by = $5
         where controller_id = $1 returning ${targetColumns})
       select u.*, tt.name as target_type_name from updated u left join ${S}.target_types tt on tt.id = u.target_type_id`,
      [controllerId, change.name ?? null, change.description ?? null, change.targetType ?? null, user],
    );
    if (rows.length === 0) throw notFound('Target', controllerId);
    return targetViewOf(rows[0]);
  }

  async remove(controllerId: string): Promise<void> {
    const { rowCount } = await this.pool.query(`delete from ${S}.targets where controller_id = $1`, [controllerId]);
    if (rowCount === 0) throw notFound('Target', controllerId);
  }

  async assignType(controllerId: string, typeId: number, user: string): Promise<void> {
    const key = await this.requireType(typeId);
    await this.setType(controllerId, typeId, key, user);
  }

  async unassignType(controllerId: string, user: string): Promise<void> {
    await this.setType(controllerId, null, null, user);
  }

  private async setType(controllerId: string, typeId: number | null, key: string | null, user: string) {
    const { rowCount } = await this.pool.query(
      `update ${S}.targets set target_type_id = $2, target_type = $3, last_modified_at = now(), last_modified_by = $4
       where controller_id = $1`,
      [controllerId, typeId, key, user],
    );
    if (rowCount === 0) throw notFound('Target', controllerId);
  }

  private async requireType(id: number): Promise<string> {
    const { rows } = await this.pool.query<{ key: string }>(`select key from ${S}.target_types where id = $1`, [id]);
    if (rows.length === 0) throw notFound('TargetType', id);
    return rows[0].key;
  }
}
