import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { ListQuery, Page } from '@fleetwave/platform';
import { DATABASE_POOL } from '../../shared/tokens';
import { notFound } from '../../shared/application-error';
import { INVENTORY_SCHEMA } from '../../inventory/inventory.migration';
import { auditView } from '../../inventory/inventory.views';
import { listPage } from '../../inventory/list-page';
import { stillInUse, uniquely } from '../../inventory/inventory-errors';
import {
  toSetTypeView,
  typeFields,
  typeSortable,
  type SetTypeView,
  type TypeRow,
} from '../../repository/types/type.views';

const S = INVENTORY_SCHEMA;

interface TargetTypeRow extends TypeRow {
  compatible_ds_type_ids: string[];
}

/** A target type as the catalog tells it (`fleetwave.internal.v1.TargetTypeView`). */
export interface TargetTypeView {
  id: number;
  key: string;
  name: string;
  description?: string;
  colour?: string;
  audit: ReturnType<typeof auditView>;
}

/** A target type to create; the key defaults to the name. */
export interface NewTargetType {
  name: string;
  key?: string;
  description?: string;
  colour?: string;
  compatibleSetTypeIds: number[];
}

/** A change of a target type: each field absent stays as it is. */
export interface TargetTypeChange {
  name?: string;
  description?: string;
  colour?: string;
}

const toTargetTypeView = (row: TargetTypeRow): TargetTypeView => ({
  id: Number(row.id),
  key: row.key,
  name: row.name,
  description: row.description ?? undefined,
  colour: row.colour ?? undefined,
  audit: auditView(row),
});

/**
 * Target types: the one handler of each of their commands and queries. A type names the
 * distribution set types its targets are compatible with; one some target has cannot be deleted.
 */
@Injectable()
export class TargetTypes {
  constructor(@Inject(DATABASE_POOL) private readonly pool: Pool) {}

  list(query: ListQuery): Promise<Page<TargetTypeView>> {
    return listPage(
      this.pool,
      {
        from: `${S}.target_types tt`,
        columns: 'tt.*',
        sortable: typeSortable('tt'),
        tieBreaker: 'tt.id',
        fields: typeFields('target types', 'tt'),
        toView: toTargetTypeView,
      },
      query,
    );
  }

  async get(id: number): Promise<TargetTypeView> {
    return toTargetTypeView(await this.row(id));
  }

  async compatibleSetTypes(id: number): Promise<SetTypeView[]> {
    const type = await this.row(id);
    const { rows } = await this.pool.query<TypeRow>(
      `select * from ${S}.distribution_set_types where id = any($1::bigint[]) order by id`,
      [type.compatible_ds_type_ids],
    );
    return rows.map(toSetTypeView);
  }

  /** All or nothing; unknown set types are a 404, a taken key or name a 409. */
  async create(types: NewTargetType[], user: string): Promise<TargetTypeView[]> {
    const compatible = types.map((t) => [...new Set(t.compatibleSetTypeIds)]);
    const wanted = [...new Set(compatible.flat())];
    const known = await this.pool.query<{ id: string }>(
      `select id from ${S}.distribution_set_types where id = any($1::bigint[])`,
      [wanted],
    );
    const missing = wanted.filter((id) => !known.rows.some((r) => Number(r.id) === id));
    if (missing.length > 0) throw notFound('DistributionSetType', missing.join(', '));
    const { rows } = await uniquely('target type with that key or name', () =>
      this.pool.query<TargetTypeRow>(
        `insert into ${S}.target_types (key, name, description, colour, compatible_ds_type_ids, created_by, last_modified_by)
         select coalesce(k, n), n, d, c, coalesce((select array_agg(v::bigint) from jsonb_array_elements_text(ids) v), '{}'), $6, $6
         from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[]) with ordinality as x(k, n, d, c, ids, i)
         order by i returning *`,
        [
          types.map((t) => t.key ?? null),
          types.map((t) => t.name),
          types.map((t) => t.description ?? null),
          types.map((t) => t.colour ?? null),
          compatible.map((ids) => JSON.stringify(ids)),
          user,
        ],
      ),
    );
    return rows.map(toTargetTypeView);
  }

  async update(id: number, change: TargetTypeChange, user: string): Promise<TargetTypeView> {
    const { rows } = await uniquely('target type with that name', () =>
      this.pool.query<TargetTypeRow>(
        `update ${S}.target_types set name = coalesce($2, name), description = coalesce($3, description),
           colour = coalesce($4, colour), last_modified_at = now(), last_modified_by = $5 where id = $1 returning *`,
        [id, change.name ?? null, change.description ?? null, change.colour ?? null, user],
      ),
    );
    if (rows.length === 0) throw notFound('TargetType', id);
    return toTargetTypeView(rows[0]);
  }

  /** A type some target still has is kept (409). */
  async remove(id: number): Promise<void> {
    await this.row(id);
    const { rowCount } = await this.pool.query(
      `delete from ${S}.target_types where id = $1
         and not exists (select 1 from ${S}.targets where target_type_id = $1)`,
      [id],
    );
    if (rowCount === 0) throw stillInUse(`target type ${id} is assigned to targets`);
  }

  private async row(id: number): Promise<TargetTypeRow> {
    const { rows } = await this.pool.query<TargetTypeRow>(`select * from ${S}.target_types where id = $1`, [id]);
    if (rows.length === 0) throw notFound('TargetType', id);
    return rows[0];
  }
}
