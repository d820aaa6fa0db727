import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { ListQuery, Page } from '@fleetwave/platform';
import { DATABASE_POOL } from '../../shared/tokens';
import { notFound } from '../../shared/application-error';
import { INVENTORY_SCHEMA } from '../../inventory/inventory.migration';
import { AuditRow, auditSortable, auditView } from '../../inventory/inventory.views';
import { entityFields } from '../../inventory/entity-fields';
import { listPage } from '../../inventory/list-page';
import { uniquely } from '../../inventory/inventory-errors';
import { compileTargetFilter } from '../target-filter';

const S = INVENTORY_SCHEMA;

interface FilterRow extends AuditRow {
  id: string;
  name: string;
  query: string;
}

/** A saved target filter as the catalog tells it (`fleetwave.internal.v1.TargetFilterView`). */
export interface TargetFilterView {
  id: number;
  name: string;
  query: string;
  audit: ReturnType<typeof auditView>;
}

const toFilterView = (row: FilterRow): TargetFilterView => ({
  id: Number(row.id),
  name: row.name,
  query: row.query,
  audit: auditView(row),
});

const filterFields = entityFields('target filters', {
  id: ['text', 'f.id::text'],
  name: ['text', 'f.name'],
  query: ['text', 'f.query'],
  createdat: ['timestamp', 'f.created_at'],
  lastmodifiedat: ['timestamp', 'f.last_modified_at'],
});

/**
 * Saved target filters: the one handler of each of their commands and queries. A query is
 * compiled before it is stored, so a malformed one is a 400 naming its position.
 */
@Injectable()
export class TargetFilters {
  constructor(@Inject(DATABASE_POOL) private readonly pool: Pool) {}

  list(query: ListQuery): Promise<Page<TargetFilterView>> {
    return listPage(
      this.pool,
      {
        from: `${S}.target_filters f`,
        columns: 'f.*',
        sortable: { id: 'f.id', name: 'f.name', query: 'f.query', ...auditSortable('f') },
        tieBreaker: 'f.id',
        fields: filterFields,
        toView: toFilterView,
      },
      query,
    );
  }

  async get(id: number): Promise<TargetFilterView> {
    const { rows } = await this.pool.query<FilterRow>(`select * from ${S}.target_filters where id = $1`, [id]);
    if (rows.length === 0) throw notFound('TargetFilterQuery', id);
    return toFilterView(rows[0]);
  }

  async create(filter: { name: string; query: string }, user: string): Promise<TargetFilterView> {
    compileTargetFilter(filter.query);
    const { rows } = await uniquely(`target filter ${filter.name}`, () =>
      this.pool.query<FilterRow>(
        `insert into ${S}.target_filters (name, query, created_by, last_modified_by) values ($1, $2, $3, $3) returning *`,
        [filter.name, filter.query, user],
      ),
    );
    return toFilterView(rows[0]);
  }

  /** Each field absent stays as it is. */
  async update(id: number, change: { name?: string; query?: string }, user: string): Promise<TargetFilterView> {
    if (change.query !== undefined) compileTargetFilter(change.query);
    const { rows } = await uniquely(`target filter ${change.name}`, () =>
      this.pool.query<FilterRow>(
        `update ${S}.target_filters set name = coalesce($2, name), query = coalesce($3, query),
           last_modified_at = now(), last_modified_by = $4 where id = $1 returning *`,
        [id, change.name ?? null, change.query ?? null, user],
      ),
    );
    if (rows.length === 0) throw notFound('TargetFilterQuery', id);
    return toFilterView(rows[0]);
  }

  async remove(id: number): Promise<void> {
    const { rowCount } = await this.pool.query(`delete from ${S}.target_filters where id = $1`, [id]);
    if (rowCount === 0) throw notFound('TargetFilterQuery', id);
  }
}
