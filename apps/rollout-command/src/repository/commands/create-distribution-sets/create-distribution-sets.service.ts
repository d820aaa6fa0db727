import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DATABASE_POOL } from '../../../shared/tokens';
import { notFound } from '../../../shared/application-error';
import { INVENTORY_SCHEMA } from '../../../inventory/inventory.migration';
import { alreadyExists, uniquely } from '../../../inventory/inventory-errors';
import { DistributionSetLookup } from '../../queries/distribution-set.lookup';
import type { DistributionSetView } from '../../repository.views';
import { ModuleAssigner } from '../assign-modules/module-assigner';

/** hawkBit's default distribution set type (its tenant default). */
const DEFAULT_SET_TYPE = 'os_app';

/** A new set; name and version identify it. */
export interface DistributionSetDefinition {
  name: string;
  version: string;
  /** Absent: the tenant's default set type. */
  type?: string;
  description?: string;
  locked?: boolean;
  requiredMigrationStep?: boolean;
  moduleIds: number[];
}

/** Creates distribution sets with their modules. */
@Injectable()
export class CreateDistributionSets {
  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    private readonly lookup: DistributionSetLookup,
    private readonly assigner: ModuleAssigner,
  ) {}

  /** Several sets; an unknown type or module is a 404, a module type the set type lacks a 400, a taken name and version a 409. */
  async create(sets: DistributionSetDefinition[], user: string): Promise<DistributionSetView[]> {
    const ids: number[] = [];
    for (const set of sets) {
      const type = set.type ?? DEFAULT_SET_TYPE;
      const known = await this.pool.query(`select 1 from ${INVENTORY_SCHEMA}.distribution_set_types where key = $1`, [
        type,
      ]);
      if (known.rowCount === 0) throw notFound('DistributionSetType', type);
      const moduleIds = await this.assigner.assign(type, [], set.moduleIds);
      const { rows } = await uniquely(`distribution set ${set.name}:${set.version}`, () =>
        this.pool.query<{ id: string }>(
          `insert into ${INVENTORY_SCHEMA}.distribution_sets
             (name, version, type, description, module_ids, locked, required_migration_step, created_by, last_modified_by)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $8) on conflict do nothing returning id`,
          [
            set.name,
            set.version,
            type,
            set.description ?? null,
            moduleIds,
            set.locked ?? false,
            set.requiredMigrationStep ?? false,
            user,
          ],
        ),
      );
      if (rows.length === 0) throw alreadyExists(`distribution set ${set.name}:${set.version}`);
      ids.push(Number(rows[0].id));
    }
    return this.lookup.views(await this.lookup.rows(ids));
  }
}
