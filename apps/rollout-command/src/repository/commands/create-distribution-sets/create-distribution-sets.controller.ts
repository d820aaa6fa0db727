import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsObject, IsOptional, ValidateNested } from 'class-validator';
import type { Pool } from 'pg';
import { BoundedText, FieldLengths, IsEntityId } from '@fleetwave/contracts';
import { ParseIdPipe, ParseItemsPipe } from '@fleetwave/platform';
import { DATABASE_POOL } from '../../../shared/tokens';
import { ApplicationError } from '../../../shared/application-error';
import { INVENTORY_SCHEMA } from '../../../inventory/inventory.migration';
import { DistributionSetRow, toDistributionSetView } from '../../repository.views';
import { DistributionSetLookup } from '../../queries/distribution-set.lookup';

/** Most software modules one distribution set may hold. */
const MAX_MODULES_PER_SET = 100;

class ModuleRefDto {
  @IsEntityId() id!: number;
}

export class CreateDistributionSetDto {
  @BoundedText(FieldLengths.name, { required: true }) name!: string;
  @BoundedText(FieldLengths.version, { required: true }) version!: string;
  @IsOptional() @BoundedText(FieldLengths.type) type?: string;
  @IsOptional() @BoundedText(FieldLengths.description) description?: string;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_MODULES_PER_SET)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ModuleRefDto)
  modules?: ModuleRefDto[];
}

@Controller('rest/v1/distributionsets')
export class DistributionSetsController {
  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    private readonly lookup: DistributionSetLookup,
  ) {}

  @Post()
  @HttpCode(201)
  async create(
    @Body(new ParseItemsPipe(CreateDistributionSetDto)) sets: CreateDistributionSetDto[],
    @Headers('x-fleetwave-user') user = 'system',
  ) {
    const created = [];
    for (const set of sets) {
      const moduleIds = (set.modules ?? []).map((m) => m.id);
      const modules = await this.lookup.modules(moduleIds);
      if (modules.length !== new Set(moduleIds).size) {
        throw new ApplicationError(
          'not_found',
          'hawkbit.server.error.repo.entitiyNotFound',
          `software modules ${moduleIds.join(', ')} do not all exist`,
        );
      }
      const { rows } = await this.pool.query<DistributionSetRow>(
        `insert into ${INVENTORY_SCHEMA}.distribution_sets (name, version, type, description, module_ids, created_by, last_modified_by)
         values ($1, $2, $3, $4, $5, $6, $6) on conflict do nothing returning *`,
        [set.name, set.version, set.type ?? 'os_app', set.description ?? null, moduleIds, user],
      );
      if (rows.length === 0) {
        throw new ApplicationError(
          'conflict',
          'hawkbit.server.error.repo.entitiyAlreadyExists',
          `distribution set ${set.name}:${set.version} exists`,
        );
      }
      created.push(toDistributionSetView(rows[0], modules));
    }
    return created;
  }

  @Get(':id')
  async get(@Param('id', new ParseIdPipe('DistributionSet')) id: number) {
    const { row, modules } = await this.lookup.get(id);
    return toDistributionSetView(row, modules);
  }
}
