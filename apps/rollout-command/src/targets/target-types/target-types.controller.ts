import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsObject, IsOptional, ValidateNested } from 'class-validator';
import type { Pool } from 'pg';
import { BoundedText, FieldLengths, OptionalNotNull } from '@fleetwave/contracts';
import { ListQuery, ParseIdPipe, ParseItemsPipe } from '@fleetwave/platform';
import { DATABASE_POOL } from '../../shared/tokens';
import { notFound } from '../../shared/application-error';
import { INVENTORY_SCHEMA } from '../../inventory/inventory.migration';
import { auditView, selfLink } from '../../inventory/inventory.views';
import { listPage } from '../../inventory/list-page';
import { stillInUse, uniquely } from '../../inventory/inventory-errors';
import { ModuleRefDto } from '../../repository/commands/create-distribution-sets/create-distribution-sets.controller';
import { toSetTypeView, TypeRow, typeFields, typeSortable } from '../../repository/types/type.views';

const S = INVENTORY_SCHEMA;

interface TargetTypeRow extends TypeRow {
  compatible_ds_type_ids: string[];
}

/** hawkBit's MgmtTargetTypeRequestBodyPost; the key defaults to the name. */
export class CreateTargetTypeDto {
  @BoundedText(FieldLengths.name, { required: true }) name!: string;
  @IsOptional() @BoundedText(FieldLengths.type) key?: string;
  @IsOptional() @BoundedText(FieldLengths.description) description?: string;
  @IsOptional() @BoundedText(FieldLengths.type) colour?: string;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ModuleRefDto)
  compatibledistributionsettypes?: ModuleRefDto[];
}

export class UpdateTargetTypeDto {
  @OptionalNotNull() @BoundedText(FieldLengths.name, { required: true }) name?: string;
  @IsOptional() @BoundedText(FieldLengths.description) description?: string;
  @IsOptional() @BoundedText(FieldLengths.type) colour?: string;
}

const toTargetTypeView = (row: TargetTypeRow) => ({
  id: Number(row.id),
  key: row.key,
  name: row.name,
  description: row.description ?? '',
  colour: row.colour ?? undefined,
  deleted: false,
  ...auditView(row),
  _links: selfLink('targettypes', row.id),
});

@Controller('rest/v1/targettypes')
export class TargetTypesController {
  constructor(@Inject(DATABASE_POOL) private readonly pool: Pool) {}

  @Get()
  list(@Query() query: ListQuery) {
    return listPage<TargetTypeRow>(
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

  @Get(':id')
  async get(@Param('id', new ParseIdPipe('TargetType')) id: number) {
    return toTargetTypeView(await this.row(id));
  }

  @Get(':id/compatibledistributionsettypes')
  async compatible(@Param('id', new ParseIdPipe('TargetType')) id: number) {
    const type = await this.row(id);
    const { rows } = await this.pool.query<TypeRow>(
      `select * from ${S}.distribution_set_types where id = any($1::bigint[]) order by id`,
      [type.compatible_ds_type_ids],
    );
    return rows.map(toSetTypeView);
  }

  /** An array of target types, all or nothing; unknown set types are a 404, a taken key or name a 409. */
  @Post()
  @HttpCode(201)
  async create(
    @Body(new ParseItemsPipe(CreateTargetTypeDto)) types: CreateTargetTypeDto[],
    @Headers('x-fleetwave-user') user = 'system',
  ) {
    const compatible = types.map((t) => [...new Set((t.compatibledistributionsettypes ?? []).map((c) => c.id))]);
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

  @Put(':id')
  async update(
    @Param('id', new ParseIdPipe('TargetType')) id: number,
    @Body() body: UpdateTargetTypeDto,
    @Headers('x-fleetwave-user') user = 'system',
  ) {
    const { rows } = await uniquely('target type with that name', () =>
      this.pool.query<TargetTypeRow>(
        `update ${S}.target_types set name = coalesce($2, name), description = coalesce($3, description),
           colour = coalesce($4, colour), last_modified_at = now(), last_modified_by = $5 where id = $1 returning *`,
        [id, body.name ?? null, body.description ?? null, body.colour ?? null, user],
      ),
    );
    if (rows.length === 0) throw notFound('TargetType', id);
    return toTargetTypeView(rows[0]);
  }

  /** A type some target still has is kept (409). */
  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id', new ParseIdPipe('TargetType')) id: number): Promise<void> {
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
