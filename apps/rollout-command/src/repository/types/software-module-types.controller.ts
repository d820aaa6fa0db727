import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { IsOptional } from 'class-validator';
import type { Pool } from 'pg';
import { BoundedText, FieldLengths, IsIntInRange } from '@fleetwave/contracts';
import { ListQuery, ParseIdPipe, ParseItemsPipe } from '@fleetwave/platform';
import { DATABASE_POOL } from '../../shared/tokens';
import { notFound } from '../../shared/application-error';
import { INVENTORY_SCHEMA } from '../../inventory/inventory.migration';
import { listPage } from '../../inventory/list-page';
import { stillInUse, uniquely } from '../../inventory/inventory-errors';
import { toModuleTypeView, TypeRow, typeFields, typeSortable } from './type.views';

const S = INVENTORY_SCHEMA;
const MAX_INT = 2_147_483_647;

/** hawkBit's MgmtSoftwareModuleTypeRequestBodyPost. */
export class CreateModuleTypeDto {
  @BoundedText(FieldLengths.type, { required: true }) key!: string;
  @BoundedText(FieldLengths.name, { required: true }) name!: string;
  @IsOptional() @BoundedText(FieldLengths.description) description?: string;
  @IsOptional() @BoundedText(FieldLengths.type) colour?: string;
  @IsIntInRange(1, MAX_INT) maxAssignments!: number;
  @IsOptional() @IsIntInRange(0, MAX_INT) minArtifacts?: number;
}

export class UpdateTypeDto {
  @IsOptional() @BoundedText(FieldLengths.description) description?: string;
  @IsOptional() @BoundedText(FieldLengths.type) colour?: string;
}

@Controller('rest/v1/softwaremoduletypes')
export class SoftwareModuleTypesController {
  constructor(@Inject(DATABASE_POOL) private readonly pool: Pool) {}

  @Get()
  list(@Query() query: ListQuery) {
    return listPage<TypeRow>(
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

  @Get(':id')
  async get(@Param('id', new ParseIdPipe('SoftwareModuleType')) id: number) {
    const { rows } = await this.pool.query<TypeRow>(`select * from ${S}.software_module_types where id = $1`, [id]);
    if (rows.length === 0) throw notFound('SoftwareModuleType', id);
    return toModuleTypeView(rows[0]);
  }

  /** An array of types, all or nothing; a taken key or name is a 409. */
  @Post()
  @HttpCode(201)
  async create(
    @Body(new ParseItemsPipe(CreateModuleTypeDto)) types: CreateModuleTypeDto[],
    @Headers('x-fleetwave-user') user = 'system',
  ) {
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

  @Put(':id')
  async update(
    @Param('id', new ParseIdPipe('SoftwareModuleType')) id: number,
    @Body() body: UpdateTypeDto,
    @Headers('x-fleetwave-user') user = 'system',
  ) {
    const { rows } = await this.pool.query<TypeRow>(
      `update ${S}.software_module_types set description = coalesce($2, description), colour = coalesce($3, colour),
         last_modified_at = now(), last_modified_by = $4 where id = $1 returning *`,
      [id, body.description ?? null, body.colour ?? null, user],
    );
    if (rows.length === 0) throw notFound('SoftwareModuleType', id);
    return toModuleTypeView(rows[0]);
  }

  /** A type that modules or set types still use is kept (409): it would leave them without a type. */
  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id', new ParseIdPipe('SoftwareModuleType')) id: number): Promise<void> {
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
