import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsObject, IsOptional, ValidateNested } from 'class-validator';
import type { Pool } from 'pg';
import { BoundedText, FieldLengths, IsEntityId } from '@fleetwave/contracts';
import { ParseIdPipe, ParseItemsPipe } from '@fleetwave/platform';
import { DATABASE_POOL } from '../../../shared/tokens';
import { notFound } from '../../../shared/application-error';
import { INVENTORY_SCHEMA } from '../../../inventory/inventory.migration';
import { alreadyExists, uniquely } from '../../../inventory/inventory-errors';
import { DistributionSetLookup } from '../../queries/distribution-set.lookup';
import { ModuleAssigner } from '../assign-modules/module-assigner';

/** Most software modules one distribution set may hold. */
export const MAX_MODULES_PER_SET = 100;

/** hawkBit's default distribution set type (its tenant default). */
const DEFAULT_SET_TYPE = 'os_app';

export class ModuleRefDto {
  @IsEntityId() id!: number;
}

export class CreateDistributionSetDto {
  @BoundedText(FieldLengths.name, { required: true }) name!: string;
  @BoundedText(FieldLengths.version, { required: true }) version!: string;
  @IsOptional() @BoundedText(FieldLengths.type) type?: string;
  @IsOptional() @BoundedText(FieldLengths.description) description?: string;
  @IsOptional() @IsBoolean() locked?: boolean;
  @IsOptional() @IsBoolean() requiredMigrationStep?: boolean;
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
    private readonly assigner: ModuleAssigner,
  ) {}

  /** An array of sets; an unknown type or module is a 404, a taken name and version a 409. */
  @Post()
  @HttpCode(201)
  async create(
    @Body(new ParseItemsPipe(CreateDistributionSetDto)) sets: CreateDistributionSetDto[],
    @Headers('x-fleetwave-user') user = 'system',
  ) {
    const ids: number[] = [];
    for (const set of sets) {
      const type = set.type ?? DEFAULT_SET_TYPE;
      const known = await this.pool.query(`select 1 from ${INVENTORY_SCHEMA}.distribution_set_types where key = $1`, [
        type,
      ]);
      if (known.rowCount === 0) throw notFound('DistributionSetType', type);
      const moduleIds = await this.assigner.assign(
        type,
        [],
        (set.modules ?? []).map((m) => m.id),
      );
      const { rows } = await uniquely(`distribution set ${set.name}:${set.version}`, () =>
        this.pool.query<{ id: string }>(
          `insert into ${INVENTORY_SCHEMA}.distribution_sets
             (name, version, type, description, module_ids, locked, required_migration_step, created_by, last_modified_by)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $8) on conflict do nothing returning id`,
          [
            set.name,
            set.version,
            type,
            set.description ?? null,
            moduleIds,
            set.locked ?? false,
            set.requiredMigrationStep ?? false,
            user,
          ],
        ),
      );
      if (rows.length === 0) throw alreadyExists(`distribution set ${set.name}:${set.version}`);
      ids.push(Number(rows[0].id));
    }
    return this.lookup.views(await this.lookup.rows(ids));
  }

  @Get(':id')
  async get(@Param('id', new ParseIdPipe('DistributionSet')) id: number) {
    return this.lookup.view(id);
  }
}
