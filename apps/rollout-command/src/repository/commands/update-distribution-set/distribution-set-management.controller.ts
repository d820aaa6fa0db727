import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { IsBoolean, IsOptional } from 'class-validator';
import type { Pool } from 'pg';
import { BoundedText, FieldLengths, OptionalNotNull } from '@fleetwave/contracts';
import { HawkbitHttpError, ListQuery, page, ParseIdPipe, ParseItemsPipe } from '@fleetwave/platform';
import { DATABASE_POOL } from '../../../shared/tokens';
import { notFound } from '../../../shared/application-error';
import { INVENTORY_SCHEMA } from '../../../inventory/inventory.migration';
import { entityFields } from '../../../inventory/entity-fields';
import { listPage } from '../../../inventory/list-page';
import { uniquely } from '../../../inventory/inventory-errors';
import { orderBy } from '../../../shared/sorting';
import { DistributionSetLookup } from '../../queries/distribution-set.lookup';
import {
  completeExpression,
  DistributionSetRow,
  distributionSetColumns,
  moduleColumns,
  moduleSortable,
  modulesWithType,
  setSortable,
  setsWithType,
  SoftwareModuleRow,
  toSoftwareModuleView,
} from '../../repository.views';
import { ModuleAssigner } from '../assign-modules/module-assigner';
import { MAX_MODULES_PER_SET, ModuleRefDto } from '../create-distribution-sets/create-distribution-sets.controller';

const S = INVENTORY_SCHEMA;

/** hawkBit's MgmtDistributionSetRequestBodyPut. */
export class UpdateDistributionSetDto {
  @OptionalNotNull() @BoundedText(FieldLengths.name, { required: true }) name?: string;
  @OptionalNotNull() @BoundedText(FieldLengths.version, { required: true }) version?: string;
  @IsOptional() @BoundedText(FieldLengths.description) description?: string;
  @IsOptional() @IsBoolean() locked?: boolean;
  @IsOptional() @IsBoolean() requiredMigrationStep?: boolean;
}

export const setFields = entityFields('distribution sets', {
  id: ['text', 'd.id::text'],
  name: ['text', 'd.name'],
  version: ['text', 'd.version'],
  description: ['text', 'd.description'],
  type: ['text', 'd.type'],
  locked: ['text', 'd.locked::text'],
  complete: ['text', `${completeExpression}::text`],
  createdat: ['timestamp', 'd.created_at'],
  lastmodifiedat: ['timestamp', 'd.last_modified_at'],
});

const locked = (id: number) =>
  new HawkbitHttpError(423, {
    exceptionClass: 'LockedException',
    errorCode: 'hawkbit.server.error.entityLocked',
    message: `distribution set ${id} is locked: its software modules cannot change`,
  });

/** List, change and delete of distribution sets and their modules (`assignedSM`). */
@Controller('rest/v1/distributionsets')
export class DistributionSetManagementController {
  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    private readonly lookup: DistributionSetLookup,
    private readonly assigner: ModuleAssigner,
  ) {}

  @Get()
  async list(@Query() query: ListQuery) {
    const result = await listPage<DistributionSetRow>(
      this.pool,
      {
        from: setsWithType,
        columns: distributionSetColumns,
        sortable: setSortable,
        tieBreaker: 'd.id',
        fields: setFields,
        scope: { where: 'not d.deleted', params: [] },
        toView: (row) => row,
      },
      query,
    );
    return { ...result, content: await this.lookup.views(result.content as DistributionSetRow[]) };
  }

  @Put(':id')
  async update(
    @Param('id', new ParseIdPipe('DistributionSet')) id: number,
    @Body() body: UpdateDistributionSetDto,
    @Headers('x-fleetwave-user') user = 'system',
  ) {
    const { rowCount } = await uniquely('distribution set with that name and version', () =>
      this.pool.query(
        `update ${S}.distribution_sets set name = coalesce($2, name), version = coalesce($3, version),
           description = coalesce($4, description), locked = coalesce($5, locked),
           required_migration_step = coalesce($6, required_migration_step),
           last_modified_at = now(), last_modified_by = $7
         where id = $1 and not deleted`,
        [
          id,
          body.name ?? null,
          body.version ?? null,
          body.description ?? null,
          body.locked ?? null,
          body.requiredMigrationStep ?? null,
          user,
        ],
      ),
    );
    if (rowCount === 0) throw notFound('DistributionSet', id);
    return this.lookup.view(id);
  }

  /** A set a rollout used (locked) stays readable as deleted; any other is removed. */
  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id', new ParseIdPipe('DistributionSet')) id: number): Promise<void> {
    const { rows } = await this.pool.query<{ n: string }>(
      `with soft as (update ${S}.distribution_sets set deleted = true where id = $1 and locked and not deleted returning id),
            hard as (delete from ${S}.distribution_sets where id = $1 and not locked returning id)
       select (select count(*) from soft) + (select count(*) from hard) as n`,
      [id],
    );
    if (Number(rows[0].n) === 0) throw notFound('DistributionSet', id);
  }

  @Get(':id/assignedSM')
  async assignedModules(@Param('id', new ParseIdPipe('DistributionSet')) id: number, @Query() query: ListQuery) {
    const { row } = await this.lookup.get(id);
    const where = `sm.id = any($1::bigint[])`;
    const { rows } = await this.pool.query<SoftwareModuleRow>(
      `select ${moduleColumns} from ${modulesWithType} where ${where}
       order by ${orderBy(query.sort, moduleSortable, 'sm.id')} offset $2 limit $3`,
      [row.module_ids, query.offset, query.limit],
    );
    return page(rows.map(toSoftwareModuleView), row.module_ids.length);
  }

  @Post(':id/assignedSM')
  @HttpCode(204)
  async assignModules(
    @Param('id', new ParseIdPipe('DistributionSet')) id: number,
    @Body(new ParseItemsPipe(ModuleRefDto, MAX_MODULES_PER_SET)) refs: ModuleRefDto[],
    @Headers('x-fleetwave-user') user = 'system',
  ): Promise<void> {
    const { row } = await this.lookup.get(id);
    if (row.locked) throw locked(id);
    const moduleIds = await this.assigner.assign(
      row.type,
      row.module_ids.map(Number),
      refs.map((r) => r.id),
    );
    await this.setModules(id, row.module_ids, moduleIds, user);
  }

  @Delete(':id/assignedSM/:moduleId')
  @HttpCode(204)
  async unassignModule(
    @Param('id', new ParseIdPipe('DistributionSet')) id: number,
    @Param('moduleId', new ParseIdPipe('SoftwareModule')) moduleId: number,
    @Headers('x-fleetwave-user') user = 'system',
  ): Promise<void> {
    const { row } = await this.lookup.get(id);
    if (row.locked) throw locked(id);
    const current = row.module_ids.map(Number);
    if (!current.includes(moduleId)) throw notFound('SoftwareModule', moduleId);
    await this.setModules(
      id,
      row.module_ids,
      current.filter((m) => m !== moduleId),
      user,
    );
  }

  /** Compare-and-set on the module list, so that a concurrent lock or change is not overwritten. */
  private async setModules(id: number, before: string[], after: number[], user: string): Promise<void> {
    const { rowCount } = await this.pool.query(
      `update ${S}.distribution_sets set module_ids = $2, last_modified_at = now(), last_modified_by = $3
       where id = $1 and not locked and module_ids = $4::bigint[]`,
      [id, after, user, before],
    );
    if (rowCount === 0) throw locked(id);
  }
}
