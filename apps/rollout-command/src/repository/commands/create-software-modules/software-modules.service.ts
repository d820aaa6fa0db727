import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { ListQuery, Page } from '@fleetwave/platform';
import { DATABASE_POOL } from '../../../shared/tokens';
import { notFound } from '../../../shared/application-error';
import { INVENTORY_SCHEMA } from '../../../inventory/inventory.migration';
import { entityFields } from '../../../inventory/entity-fields';
import { alreadyExists } from '../../../inventory/inventory-errors';
import { listPage } from '../../../inventory/list-page';
import {
  moduleColumns,
  moduleSortable,
  modulesWithType,
  SoftwareModuleRow,
  SoftwareModuleView,
  toSoftwareModuleView,
} from '../../repository.views';

const S = INVENTORY_SCHEMA;

/** A new module; name, version and type identify it. */
export interface SoftwareModuleDefinition {
  name: string;
  version: string;
  type: string;
  vendor?: string;
  description?: string;
}

/** A change of a module (hawkBit's MgmtSoftwareModuleRequestBodyPut); absent fields stay as they are. */
export interface SoftwareModuleChange {
  vendor?: string;
  description?: string;
  locked?: boolean;
}

const moduleFields = entityFields('software modules', {
  id: ['text', 'sm.id::text'],
  name: ['text', 'sm.name'],
  version: ['text', 'sm.version'],
  type: ['text', 'sm.type'],
  vendor: ['text', 'sm.vendor'],
  description: ['text', 'sm.description'],
  createdat: ['timestamp', 'sm.created_at'],
  lastmodifiedat: ['timestamp', 'sm.last_modified_at'],
});

/** Software modules: the one handler of each of their commands and queries. */
@Injectable()
export class SoftwareModules {
  constructor(@Inject(DATABASE_POOL) private readonly pool: Pool) {}

  /** Several modules, all or nothing: an unknown type is a 404, a known name+version+type a 409. */
  async create(modules: SoftwareModuleDefinition[], user: string): Promise<SoftwareModuleView[]> {
    const types = [...new Set(modules.map((m) => m.type))];
    const known = await this.pool.query<{ key: string }>(
      `select key from ${S}.software_module_types where key = any($1::text[])`,
      [types],
    );
    const unknown = types.filter((t) => !known.rows.some((r) => r.key === t));
    if (unknown.length > 0) throw notFound('SoftwareModuleType', unknown.join(', '));
    const { rows } = await this.pool.query<SoftwareModuleRow>(
      `with inserted as (
         insert into ${S}.software_modules (name, version, type, vendor, description, created_by, last_modified_by)
         select n, v, t, ve, d, $6, $6 from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) as x(n, v, t, ve, d)
         on conflict do nothing returning *)
       select sm.*, smt.name as type_name from inserted sm left join ${S}.software_module_types smt on smt.key = sm.type
       order by sm.id`,
      [
        modules.map((m) => m.name),
        modules.map((m) => m.version),
        modules.map((m) => m.type),
        modules.map((m) => m.vendor ?? null),
        modules.map((m) => m.description ?? null),
        user,
      ],
    );
    if (rows.length !== modules.length) {
      await this.pool.query(`delete from ${S}.software_modules where id = any($1::bigint[])`, [rows.map((r) => r.id)]);
      throw alreadyExists('software module with that name, version and type');
    }
    return rows.map(toSoftwareModuleView);
  }

  /** Modules not deleted. */
  list(query: ListQuery): Promise<Page<SoftwareModuleView>> {
    return listPage(
      this.pool,
      {
        from: modulesWithType,
        columns: moduleColumns,
        sortable: moduleSortable,
        tieBreaker: 'sm.id',
        fields: moduleFields,
        scope: { where: 'not sm.deleted', params: [] },
        toView: toSoftwareModuleView,
      },
      query,
    );
  }

  /** A module, deleted ones included. */
  async get(id: number): Promise<SoftwareModuleView> {
    const { rows } = await this.pool.query<SoftwareModuleRow>(
      `select ${moduleColumns} from ${modulesWithType} where sm.id = $1`,
      [id],
    );
    if (rows.length === 0) throw notFound('SoftwareModule', id);
    return toSoftwareModuleView(rows[0]);
  }

  async update(id: number, change: SoftwareModuleChange, user: string): Promise<SoftwareModuleView> {
    const { rowCount } = await this.pool.query(
      `update ${S}.software_modules set vendor = coalesce($2, vendor), description = coalesce($3, description),
         locked = coalesce($4, locked), last_modified_at = now(), last_modified_by = $5
       where id = $1 and not deleted`,
      [id, change.vendor ?? null, change.description ?? null, change.locked ?? null, user],
    );
    if (rowCount === 0) throw notFound('SoftwareModule', id);
    return this.get(id);
  }

  /** A module some distribution set holds stays readable as deleted (hawkBit's soft delete); any other is removed. */
  async delete(id: number): Promise<void> {
    const { rows } = await this.pool.query<{ n: string }>(
      `with used as (select exists (select 1 from ${S}.distribution_sets where $1::bigint = any(module_ids)) as yes),
            soft as (update ${S}.software_modules set deleted = true
                     where id = $1 and not deleted and (select yes from used) returning id),
            hard as (delete from ${S}.software_modules where id = $1 and not (select yes from used) returning id)
       select (select count(*) from soft) + (select count(*) from hard) as n`,
      [id],
    );
    if (Number(rows[0].n) === 0) throw notFound('SoftwareModule', id);
  }
}
