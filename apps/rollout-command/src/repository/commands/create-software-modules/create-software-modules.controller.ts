import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  ParseIntPipe,
  ParseArrayPipe,
  Post,
} from '@nestjs/common';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import type { Pool } from 'pg';
import { DATABASE_POOL } from '../../../shared/tokens';
import { ApplicationError, notFound } from '../../../shared/application-error';
import { INVENTORY_SCHEMA } from '../../../inventory/inventory.migration';
import { SoftwareModuleRow, toSoftwareModuleView } from '../../repository.views';

export class CreateSoftwareModuleDto {
  @IsString() @IsNotEmpty() @MaxLength(128) name!: string;
  @IsString() @IsNotEmpty() @MaxLength(64) version!: string;
  @IsString() @IsNotEmpty() @MaxLength(64) type!: string;
  @IsOptional() @IsString() @MaxLength(256) vendor?: string;
  @IsOptional() @IsString() @MaxLength(512) description?: string;
}

@Controller('rest/v1/softwaremodules')
export class SoftwareModulesController {
  constructor(@Inject(DATABASE_POOL) private readonly pool: Pool) {}

  @Post()
  @HttpCode(201)
  async create(
    @Body(new ParseArrayPipe({ items: CreateSoftwareModuleDto, whitelist: true })) modules: CreateSoftwareModuleDto[],
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
  async get(@Param('id', ParseIntPipe) id: number) {
    const { rows } = await this.pool.query<SoftwareModuleRow>(
      `select * from ${INVENTORY_SCHEMA}.software_modules where id = $1`,
      [id],
    );
    if (rows.length === 0) throw notFound('SoftwareModule', id);
    return toSoftwareModuleView(rows[0]);
  }
}
