import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsObject, IsOptional, ValidateNested } from 'class-validator';
import type { Pool } from 'pg';
import { BoundedText, FieldLengths } from '@fleetwave/contracts';
import { ListQuery, ParseIdPipe, ParseItemsPipe, withTransaction } from '@fleetwave/platform';
import { DATABASE_POOL } from '../../shared/tokens';
import { notFound } from '../../shared/application-error';
import { INVENTORY_SCHEMA } from '../../inventory/inventory.migration';
import { listPage } from '../../inventory/list-page';
import { stillInUse, uniquely } from '../../inventory/inventory-errors';
import { ModuleRefDto } from '../commands/create-distribution-sets/create-distribution-sets.controller';
import { UpdateTypeDto } from './software-module-types.controller';
import { toModuleTypeView, toSetTypeView, TypeRow, typeFields, typeSortable } from './type.views';

const S = INVENTORY_SCHEMA;
const MAX_MODULE_TYPES = 50;

/** hawkBit's MgmtDistributionSetTypeRequestBodyPost. */
export class CreateSetTypeDto {
  @BoundedText(FieldLengths.type, { required: true }) key!: string;
  @BoundedText(FieldLengths.name, { required: true }) name!: string;
  @IsOptional() @BoundedText(FieldLengths.description) description?: string;
  @IsOptional() @BoundedText(FieldLengths.type) colour?: string;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_MODULE_TYPES)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ModuleRefDto)
  mandatorymodules?: ModuleRefDto[];
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_MODULE_TYPES)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ModuleRefDto)
  optionalmodules?: ModuleRefDto[];
}

@Controller('rest/v1/distributionsettypes')
export class DistributionSetTypesController {
  constructor(@Inject(DATABASE_POOL) private readonly pool: Pool) {}

  @Get()
  list(@Query() query: ListQuery) {
    return listPage<TypeRow>(
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

  @Get(':id')
  async get(@Param('id', new ParseIdPipe('DistributionSetType')) id: number) {
    return toSetTypeView(await this.row(id));
  }

  @Get(':id/mandatorymoduletypes')
  mandatory(@Param('id', new ParseIdPipe('DistributionSetType')) id: number) {
    return this.moduleTypes(id, true);
  }

  @Get(':id/optionalmoduletypes')
  optional(@Param('id', new ParseIdPipe('DistributionSetType')) id: number) {
    return this.moduleTypes(id, false);
  }

  /** An array of set types with their module types, all or nothing; unknown module types are a 404. */
  @Post()
  @HttpCode(201)
  async create(
    @Body(new ParseItemsPipe(CreateSetTypeDto)) types: CreateSetTypeDto[],
    @Headers('x-fleetwave-user') user = 'system',
  ) {
    const moduleTypeIds = [
      ...new Set(types.flatMap((t) => [...(t.mandatorymodules ?? []), ...(t.optionalmodules ?? [])].map((m) => m.id))),
    ];
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
          const mandatory = (type.mandatorymodules ?? []).map((m) => m.id);
          const optional = (type.optionalmodules ?? []).map((m) => m.id).filter((id) => !mandatory.includes(id));
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

  @Put(':id')
  async update(
    @Param('id', new ParseIdPipe('DistributionSetType')) id: number,
    @Body() body: UpdateTypeDto,
    @Headers('x-fleetwave-user') user = 'system',
  ) {
    const { rows } = await this.pool.query<TypeRow>(
      `update ${S}.distribution_set_types set description = coalesce($2, description), colour = coalesce($3, colour),
         last_modified_at = now(), last_modified_by = $4 where id = $1 returning *`,
      [id, body.description ?? null, body.colour ?? null, user],
    );
    if (rows.length === 0) throw notFound('DistributionSetType', id);
    return toSetTypeView(rows[0]);
  }

  /** A type that sets or target types still use is kept (409). */
  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id', new ParseIdPipe('DistributionSetType')) id: number): Promise<void> {
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

  private async moduleTypes(id: number, mandatory: boolean) {
    await this.row(id);
    const { rows } = await this.pool.query<TypeRow>(
      `select st.* from ${S}.distribution_set_type_modules m join ${S}.software_module_types st on st.id = m.sm_type_id
       where m.ds_type_id = $1 and m.mandatory = $2 order by st.id`,
      [id, mandatory],
    );
    return rows.map(toModuleTypeView);
  }
}
