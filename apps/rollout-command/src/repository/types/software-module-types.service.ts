import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { ListQuery, Page } from '@fleetwave/platform';
import { DATABASE_POOL } from '../../shared/tokens';
import { notFound } from '../../shared/application-error';
import { INVENTORY_SCHEMA } from '../../inventory/inventory.migration';
import { listPage } from '../../inventory/list-page';
import { stillInUse, uniquely } from '../../inventory/inventory-errors';
import { ModuleTypeView, toModuleTypeView, TypeRow, typeFields, typeSortable } from './type.views';

const S = INVENTORY_SCHEMA;

/** A new module type (hawkBit's MgmtSoftwareModuleTypeRequestBodyPost). */
export interface ModuleTypeDefinition {
  key: string;
  name: string;
  description?: string;
  colour?: string;
  maxAssignments: number;
  /** Absent: none required. */
  minArtifacts?: number;
}

/** A change of a module or set type; absent fields stay as they are. */
export interface TypeChange {
  description?: string;
  colour?: string;
}

/** Software module types: the one handler of each of their commands and queries. */
@Injectable()
export class SoftwareModuleTypes {
  constructor(@Inject(DATABASE_POOL) private readonly pool: Pool) {}

  list(query: ListQuery): Promise<Page<ModuleTypeView>> {
    return listPage(
      this.pool,
      {
        from: `${S}.software_module_types st`,
        columns: 'st.*',
        sortable: { ...typeSortable('st'), maxassignments: 'st.max_assignments' },
        tieBreaker: 'st.id',
        fields: typeFields('software module types', 'st'),
        toView: toModuleTypeView,
      },
      query,
    );
  }

  async get(id: number): Promise<ModuleTypeView> {
    const { rows } = await this.pool.query<TypeRow>(`select * from ${S}.software_module_types where id = $1`, [id]);
    if (rows.length === 0) throw notFound('SoftwareModuleType', id);
    return toModuleTypeView(rows[0]);
  }

  /** Several types, all or nothing; a taken key or name is a 409. */
  async create(types: ModuleTypeDefinition[], user: string): Promise<ModuleTypeView[]> {
    const { rows } = await uniquely('software module type with that key or name', () =>
      this.pool.query<TypeRow>(
        `insert into ${S}.software_module_types
           (key, name, description, colour, max_assignments, min_artifacts, created_by, last_modified_by)
         select k, n, d, c, m, a, $7, $7
         from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[]) with ordinality as x(k, n, d, c, m, a, i)
         order by i returning *`,
        [
          types.map((t) => t.key),
          types.map((t) => t.name),
          types.map((t) => t.description ?? null),
          types.map((t) => t.colour ?? null),
          types.map((t) => t.maxAssignments),
          types.map((t) => t.minArtifacts ?? 0),
          user,
        ],
      ),
    );
    return rows.map(toModuleTypeView);
  }

  async update(id: number, change: TypeChange, user: string): Promise<ModuleTypeView> {
    const { rows } = await this.pool.query<TypeRow>(
      `update ${S}.software_module_types set description = coalesce($2, description), colour = coalesce($3, colour),
         last_modified_at = now(), last_modified_by = $4 where id = $1 returning *`,
      [id, change.description ?? null, change.colour ?? null, user],
    );
    if (rows.length === 0) throw notFound('SoftwareModuleType', id);
    return toModuleTypeView(rows[0]);
  }

  /** A type that modules or set types still use is kept (409): it would leave them without a type. */
  async delete(id: number): Promise<void> {
    const { rows } = await this.pool.query<{ found: boolean; used: boolean; deleted: boolean }>(
      `with t as (select id, key from ${S}.software_module_types where id = $1),
            used as (select exists (select 1 from ${S}.software_modules sm join t on sm.type = t.key)
                         or exists (select 1 from ${S}.distribution_set_type_modules m where m.sm_type_id = $1) as yes),
            gone as (delete from ${S}.software_module_types where id = $1 and not (select yes from used) returning id)
       select exists (select 1 from t) as found, (select yes from used) as used, exists (select 1 from gone) as deleted`,
      [id],
    );
    if (!rows[0].found) throw notFound('SoftwareModuleType', id);
    if (!rows[0].deleted) throw stillInUse(`software module type ${id} is used by software modules or set types`);
  }
}
