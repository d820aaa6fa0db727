import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { IsOptional } from 'class-validator';
import type { Pool } from 'pg';
import { BoundedText, FieldLengths } from '@fleetwave/contracts';
import { ParseIdPipe, ParseItemsPipe } from '@fleetwave/platform';
import { DATABASE_POOL } from '../../../shared/tokens';
import { ApplicationError, notFound } from '../../../shared/application-error';
import { INVENTORY_SCHEMA } from '../../../inventory/inventory.migration';
import { SoftwareModuleRow, toSoftwareModuleView } from '../../repository.views';

export class CreateSoftwareModuleDto {
  @BoundedText(FieldLengths.name, { required: true }) name!: string;
  @BoundedText(FieldLengths.version, { required: true }) version!: string;
  @BoundedText(FieldLengths.type, { required: true }) type!: string;
  @IsOptional() @BoundedText(FieldLengths.vendor) vendor?: string;
  @IsOptional() @BoundedText(FieldLengths.description) description?: string;
}

@Controller('rest/v1/softwaremodules')
export class SoftwareModulesController {
  constructor(@Inject(DATABASE_POOL) private readonly pool: Pool) {}

  @Post()
  @HttpCode(201)
  async create(
    @Body(new ParseItemsPipe(CreateSoftwareModuleDto)) modules: CreateSoftwareModuleDto[],
    @Headers('x-fleetwave-user') user = 'system',
  ) {
    const { rows } = await this.pool.query<SoftwareModuleRow>(
      `insert into ${INVENTORY_SCHEMA}.software_modules (name, version, type, vendor, description, created_by, last_modified_by)
       select n, v, t, ve, d, $6, $6 from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) as x(n, v, t, ve, d)
       on conflict do nothing returning *`,
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
      await this.pool.query(`delete from ${INVENTORY_SCHEMA}.software_modules where id = any($1::bigint[])`, [
        rows.map((r) => r.id),
      ]);
      throw new ApplicationError(
        'conflict',
        'hawkbit.server.error.repo.entitiyAlreadyExists',
        'software module with that name, version and type exists',
      );
    }
    return rows.map(toSoftwareModuleView);
  }

  @Get(':id')
  async get(@Param('id', new ParseIdPipe('SoftwareModule')) id: number) {
    const { rows } = await this.pool.query<SoftwareModuleRow>(
      `select * from ${INVENTORY_SCHEMA}.software_modules where id = $1`,
      [id],
    );
    if (rows.length === 0) throw notFound('SoftwareModule', id);
    return toSoftwareModuleView(rows[0]);
  }
}
