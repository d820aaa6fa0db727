import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { withTransaction, type ListQuery, type Page } from '@fleetwave/platform';
import { DATABASE_POOL } from '../../shared/tokens';
import { notFound } from '../../shared/application-error';
import { INVENTORY_SCHEMA } from '../../inventory/inventory.migration';
import { listPage } from '../../inventory/list-page';
import { stillInUse, uniquely } from '../../inventory/inventory-errors';
import type { TypeChange } from './software-module-types.service';
import {
  ModuleTypeView,
  SetTypeView,
  toModuleTypeView,
  toSetTypeView,
  TypeRow,
  typeFields,
  typeSortable,
} from './type.views';

const S = INVENTORY_SCHEMA;

/** A new set type (hawkBit's MgmtDistributionSetTypeRequestBodyPost) with its module types by id. */
export interface SetTypeDefinition {
  key: string;
  name: string;
  description?: string;
  colour?: string;
  mandatoryModuleTypeIds: number[];
  /** A module type also mandatory is mandatory. */
  optionalModuleTypeIds: number[];
}

/** Distribution set types and their module types: the one handler of each of their commands and queries. */
@Injectable()
export class DistributionSetTypes {
  constructor(@Inject(DATABASE_POOL) private readonly pool: Pool) {}

  list(query: ListQuery): Promise<Page<SetTypeView>> {
    return listPage(
      this.pool,
      {
        from: `${S}.distribution_set_types dt`,
        columns: 'dt.*',
        sortable: typeSortable('dt'),
        tieBreaker: 'dt.id',
        fields: typeFields('distribution set types', 'dt'),
        toView: toSetTypeView,
      },
      query,
    );
  }

  async get(id: number): Promise<SetTypeView> {
    return toSetTypeView(await this.row(id));
  }

  /** The set type's mandatory (or optional) module types, by id. */
  async moduleTypes(id: number, mandatory: boolean): Promise<ModuleTypeView[]> {
    await this.row(id);
    const { rows } = await this.pool.query<TypeRow>(
      `select st.* from ${S}.distribution_set_type_modules m join ${S}.software_module_types st on st.id = m.sm_type_id
       where m.ds_type_id = $1 and m.mandatory = $2 order by st.id`,
      [id, mandatory],
    );
    return rows.map(toModuleTypeView);
  }

  /** Several set types with their module types, all or nothing; unknown module types are a 404. */
  async create(types: SetTypeDefinition[], user: string): Promise<SetTypeView[]> {
    const moduleTypeIds = [...new Set(types.flatMap((t) => [...t.mandatoryModuleTypeIds, ...t.optionalModuleTypeIds]))];
    const known = await this.pool.query<{ id: string }>(
      `select id from ${S}.software_module_types where id = any($1::bigint[])`,
      [moduleTypeIds],
    );
    const missing = moduleTypeIds.filter((id) => !known.rows.some((r) => Number(r.id) === id));
    if (missing.length > 0) throw notFound('SoftwareModuleType', missing.join(', '));
    const created = await uniquely('distribution set type with that key or name', () =>
      withTransaction(this.pool, async (tx) => {
        const rows: TypeRow[] = [];
        for (const type of types) {
          const inserted = await tx.query<TypeRow>(
            `insert into ${S}.distribution_set_types (key, name, description, colour, created_by, last_modified_by)
             values ($1, $2, $3, $4, $5, $5) returning *`,
            [type.key, type.name, type.description ?? null, type.colour ?? null, user],
          );
          const mandatory = type.mandatoryModuleTypeIds;
          const optional = type.optionalModuleTypeIds.filter((id) => !mandatory.includes(id));
          await tx.query(
            `insert into ${S}.distribution_set_type_modules (ds_type_id, sm_type_id, mandatory)
             select $1, id, m from unnest($2::bigint[], $3::boolean[]) as x(id, m) on conflict do nothing`,
            [
              inserted.rows[0].id,
              [...mandatory, ...optional],
              [...mandatory.map(() => true), ...optional.map(() => false)],
            ],
          );
          rows.push(inserted.rows[0]);
        }
        return rows;
      }),
    );
    return created.map(toSetTypeView);
  }

  async update(id: number, change: TypeChange, user: string): Promise<SetTypeView> {
    const { rows } = await this.pool.query<TypeRow>(
      `update ${S}.distribution_set_types set description = coalesce($2, description), colour = coalesce($3, colour),
         last_modified_at = now(), last_modified_by = $4 where id = $1 returning *`,
      [id, change.description ?? null, change.colour ?? null, user],
    );
    if (rows.length === 0) throw notFound('DistributionSetType', id);
    return toSetTypeView(rows[0]);
  }

  /** A type that sets or target types still use is kept (409). */
  async delete(id: number): Promise<void> {
    const type = await this.row(id);
    const { rowCount } = await this.pool.query(
      `delete from ${S}.distribution_set_types dt where id = $1
         and not exists (select 1 from ${S}.distribution_sets d where d.type = $2)
         and not exists (select 1 from ${S}.target_types tt where $1::bigint = any(tt.compatible_ds_type_ids))`,
      [id, type.key],
    );
    if (rowCount === 0) throw stillInUse(`distribution set type ${id} is used by distribution sets or target types`);
  }

  private async row(id: number): Promise<TypeRow> {
    const { rows } = await this.pool.query<TypeRow>(`select * from ${S}.distribution_set_types where id = $1`, [id]);
    if (rows.length === 0) throw notFound('DistributionSetType', id);
    return rows[0];
  }
}
