import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { page, type ListQuery, type Page } from '@fleetwave/platform';
import { DATABASE_POOL } from '../../../shared/tokens';
import { notFound } from '../../../shared/application-error';
import { INVENTORY_SCHEMA } from '../../../inventory/inventory.migration';
import { entityFields } from '../../../inventory/entity-fields';
import { listPage } from '../../../inventory/list-page';
import { entityLocked, uniquely } from '../../../inventory/inventory-errors';
import { orderBy } from '../../../shared/sorting';
import { DistributionSetLookup } from '../../queries/distribution-set.lookup';
import {
  completeExpression,
  DistributionSetRow,
  distributionSetColumns,
  DistributionSetView,
  moduleColumns,
  moduleSortable,
  modulesWithType,
  setSortable,
  setsWithType,
  SoftwareModuleRow,
  SoftwareModuleView,
  toSoftwareModuleView,
} from '../../repository.views';
import { ModuleAssigner } from '../assign-modules/module-assigner';

const S = INVENTORY_SCHEMA;

/** A change of a set (hawkBit's MgmtDistributionSetRequestBodyPut); absent fields stay as they are. */
export interface DistributionSetChange {
  name?: string;
  version?: string;
  description?: string;
  locked?: boolean;
  requiredMigrationStep?: boolean;
}

const setFields = entityFields('distribution sets', {
  id: ['text', 'd.id::text'],
  name: ['text', 'd.name'],
  version: ['text', 'd.version'],
  description: ['text', 'd.description'],
  type: ['text', 'd.type'],
  locked: ['text', 'd.locked::text'],
  complete: ['text', `${completeExpression}::text`],
  createdat: ['timestamp', 'd.created_at'],
  lastmodifiedat: ['timestamp', 'd.last_modified_at'],
});

const locked = (id: number) => entityLocked(`distribution set ${id} is locked: its software modules cannot change`);

/** List, change and delete of distribution sets and of their modules. */
@Injectable()
export class DistributionSetManagement {
  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    private readonly lookup: DistributionSetLookup,
    private readonly assigner: ModuleAssigner,
  ) {}

  /** Sets not deleted, their modules read in one query for the whole page. */
  async list(query: ListQuery): Promise<Page<DistributionSetView>> {
    const result = await listPage<DistributionSetRow, DistributionSetRow>(
      this.pool,
      {
        from: setsWithType,
        columns: distributionSetColumns,
        sortable: setSortable,
        tieBreaker: 'd.id',
        fields: setFields,
        scope: { where: 'not d.deleted', params: [] },
        toView: (row) => row,
      },
      query,
    );
    return page(await this.lookup.views(result.content), result.total);
  }

  async update(id: number, change: DistributionSetChange, user: string): Promise<DistributionSetView> {
    const { rowCount } = await uniquely('distribution set with that name and version', () =>
      this.pool.query(
        `update ${S}.distribution_sets set name = coalesce($2, name), version = coalesce($3, version),
           description = coalesce($4, description), locked = coalesce($5, locked),
           required_migration_step = coalesce($6, required_migration_step),
           last_modified_at = now(), last_modified_by = $7
         where id = $1 and not deleted`,
        [
          id,
          change.name ?? null,
          change.version ?? null,
          change.description ?? null,
          change.locked ?? null,
          change.requiredMigrationStep ?? null,
          user,
        ],
      ),
    );
    if (rowCount === 0) throw notFound('DistributionSet', id);
    return this.lookup.view(id);
  }

  /** A set a rollout used (locked) stays readable as deleted; any other is removed. */
  async delete(id: number): Promise<void> {
    const { rows } = await this.pool.query<{ n: string }>(
      `with soft as (update ${S}.distribution_sets set deleted = true where id = $1 and locked and not deleted returning id),
            hard as (delete from ${S}.distribution_sets where id = $1 and not locked returning id)
       select (select count(*) from soft) + (select count(*) from hard) as n`,
      [id],
    );
    if (Number(rows[0].n) === 0) throw notFound('DistributionSet', id);
  }

  /** A page of the set's modules. */
  async assignedModules(id: number, query: ListQuery): Promise<Page<SoftwareModuleView>> {
    const { row } = await this.lookup.get(id);
    const { rows } = await this.pool.query<SoftwareModuleRow>(
      `select ${moduleColumns} from ${modulesWithType} where sm.id = any($1::bigint[])
       order by ${orderBy(query.sort, moduleSortable, 'sm.id')} offset $2 limit $3`,
      [row.module_ids, query.offset, query.limit],
    );
    return page(rows.map(toSoftwareModuleView), row.module_ids.length);
  }

  /** Adds modules to an unlocked set (a locked one is a 423), as the set type's rules allow. */
  async assign(id: number, moduleIds: number[], user: string): Promise<void> {
    const { row } = await this.lookup.get(id);
    if (row.locked) throw locked(id);
    const after = await this.assigner.assign(row.type, row.module_ids.map(Number), moduleIds);
    await this.setModules(id, row.module_ids, after, user);
  }

  /** Takes a module out of an unlocked set; a module the set does not hold is a 404. */
  async unassign(id: number, moduleId: number, user: string): Promise<void> {
    const { row } = await this.lookup.get(id);
    if (row.locked) throw locked(id);
    const current = row.module_ids.map(Number);
    if (!current.includes(moduleId)) throw notFound('SoftwareModule', moduleId);
    await this.setModules(
      id,
      row.module_ids,
      current.filter((m) => m !== moduleId),
      user,
    );
  }

  /** Compare-and-set on the module list, so that a concurrent lock or change is not overwritten. */
  private async setModules(id: number, before: string[], after: number[], user: string): Promise<void> {
    const { rowCount } = await this.pool.query(
      `update ${S}.distribution_sets set module_ids = $2, last_modified_at = now(), last_modified_by = $3
       where id = $1 and not locked and module_ids = $4::bigint[]`,
      [id, after, user, before],
    );
    if (rowCount === 0) throw locked(id);
  }
}
