import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { DistributionSetRef } from '@fleetwave/contracts';
import { DATABASE_POOL } from '../../shared/tokens';
import { notFound } from '../../shared/application-error';
import { INVENTORY_SCHEMA } from '../../inventory/inventory.migration';
import { DistributionSetRow, SoftwareModuleRow } from '../repository.views';

/** Reads distribution sets with their modules, for the API and for rollout creation. */
@Injectable()
export class DistributionSetLookup {
  constructor(@Inject(DATABASE_POOL) private readonly pool: Pool) {}

  async modules(ids: number[]): Promise<SoftwareModuleRow[]> {
    if (ids.length === 0) return [];
    const { rows } = await this.pool.query<SoftwareModuleRow>(
      `select * from ${INVENTORY_SCHEMA}.software_modules where id = any($1::bigint[]) order by id`,
      [ids],
    );
    return rows;
  }

  async get(id: number): Promise<{ row: DistributionSetRow; modules: SoftwareModuleRow[] }> {
    const { rows } = await this.pool.query<DistributionSetRow>(
      `select * from ${INVENTORY_SCHEMA}.distribution_sets where id = $1`,
      [id],
    );
    if (rows.length === 0) throw notFound('DistributionSet', id);
    return { row: rows[0], modules: await this.modules(rows[0].module_ids.map(Number)) };
  }

  /** The set as carried by rollout events and device messages. */
  async reference(id: number): Promise<DistributionSetRef> {
    const { row, modules } = await this.get(id);
    return {
      id: Number(row.id),
      name: row.name,
      version: row.version,
      modules: modules.map((m) => ({
        id: Number(m.id),
        type: m.type,
        name: m.name,
        version: m.version,
        artifacts: m.artifacts,
      })),
    };
  }
}
