import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import type { Pool } from 'pg';
import { BoundedText, FieldLengths, OptionalNotNull } from '@fleetwave/contracts';
import { ListQuery, ParseIdPipe } from '@fleetwave/platform';
import { DATABASE_POOL } from '../../shared/tokens';
import { notFound } from '../../shared/application-error';
import { INVENTORY_SCHEMA } from '../../inventory/inventory.migration';
import { AuditRow, auditSortable, auditView, selfLink } from '../../inventory/inventory.views';
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

/** hawkBit's MgmtTargetFilterQueryRequestBody; both fields are required on create. */
export class CreateTargetFilterDto {
  @BoundedText(FieldLengths.name, { required: true }) name!: string;
  @BoundedText(FieldLengths.targetFilterQuery, { required: true }) query!: string;
}

export class UpdateTargetFilterDto {
  @OptionalNotNull() @BoundedText(FieldLengths.name, { required: true }) name?: string;
  @OptionalNotNull() @BoundedText(FieldLengths.targetFilterQuery, { required: true }) query?: string;
}

const toFilterView = (row: FilterRow) => ({
  id: Number(row.id),
  name: row.name,
  query: row.query,
  confirmationRequired: false,
  ...auditView(row),
  _links: selfLink('targetfilters', row.id),
});

const filterFields = entityFields('target filters', {
  id: ['text', 'f.id::text'],
  name: ['text', 'f.name'],
  query: ['text', 'f.query'],
  createdat: ['timestamp', 'f.created_at'],
  lastmodifiedat: ['timestamp', 'f.last_modified_at'],
});

/** Saved target filters; a query is compiled before it is stored, so a malformed one is a 400 naming its position. */
@Controller('rest/v1/targetfilters')
export class TargetFiltersController {
  constructor(@Inject(DATABASE_POOL) private readonly pool: Pool) {}

  @Get()
  list(@Query() query: ListQuery) {
    return listPage<FilterRow>(
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

  @Get(':id')
  async get(@Param('id', new ParseIdPipe('TargetFilterQuery')) id: number) {
    const { rows } = await this.pool.query<FilterRow>(`select * from ${S}.target_filters where id = $1`, [id]);
    if (rows.length === 0) throw notFound('TargetFilterQuery', id);
    return toFilterView(rows[0]);
  }

  @Post()
  @HttpCode(201)
  async create(@Body() body: CreateTargetFilterDto, @Headers('x-fleetwave-user') user = 'system') {
    compileTargetFilter(body.query);
    const { rows } = await uniquely(`target filter ${body.name}`, () =>
      this.pool.query<FilterRow>(
        `insert into ${S}.target_filters (name, query, created_by, last_modified_by) values ($1, $2, $3, $3) returning *`,
        [body.name, body.query, user],
      ),
    );
    return toFilterView(rows[0]);
  }

  @Put(':id')
  async update(
    @Param('id', new ParseIdPipe('TargetFilterQuery')) id: number,
    @Body() body: UpdateTargetFilterDto,
    @Headers('x-fleetwave-user') user = 'system',
  ) {
    if (body.query !== undefined) compileTargetFilter(body.query);
    const { rows } = await uniquely(`target filter ${body.name}`, () =>
      this.pool.query<FilterRow>(
        `update ${S}.target_filters set name = coalesce($2, name), query = coalesce($3, query),
           last_modified_at = now(), last_modified_by = $4 where id = $1 returning *`,
        [id, body.name ?? null, body.query ?? null, user],
      ),
    );
    if (rows.length === 0) throw notFound('TargetFilterQuery', id);
    return toFilterView(rows[0]);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id', new ParseIdPipe('TargetFilterQuery')) id: number): Promise<void> {
    const { rowCount } = await this.pool.query(`delete from ${S}.target_filters where id = $1`, [id]);
    if (rowCount === 0) throw notFound('TargetFilterQuery', id);
  }
}
