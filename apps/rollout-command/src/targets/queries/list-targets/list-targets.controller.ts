import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Pool } from 'pg';
import { ListQuery, ParseControllerIdPipe } from '@fleetwave/platform';
import { DATABASE_POOL } from '../../../shared/tokens';
import { DistributionSetLookup } from '../../../repository/queries/distribution-set.lookup';
import { notFound } from '../../../shared/application-error';
import { listPage } from '../../../inventory/list-page';
import { INVENTORY_SCHEMA } from '../../../inventory/inventory.migration';
import { TagRow, toTagView } from '../../target-tags/target-tag.view';
import { TargetRow, targetSortable, targetsWithType, targetWithTypeColumns, toTargetView } from '../../target.view';

@Controller('rest/v1/targets')
export class ListTargetsController {
  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    private readonly sets: DistributionSetLookup,
  ) {}

  /** `query` arrives validated with its defaults applied (limit 50, at most 500) by the global pipe. */
  @Get()
  list(@Query() query: ListQuery) {
    return listPage<TargetRow>(
      this.pool,
      {
        from: targetsWithType,
        columns: targetWithTypeColumns,
        sortable: targetSortable,
        tieBreaker: 't.id',
        toView: toTargetView,
      },
      query,
    );
  }

  @Get(':controllerId')
  async get(@Param('controllerId', new ParseControllerIdPipe()) controllerId: string) {
    return toTargetView(await this.row(controllerId, targetWithTypeColumns));
  }

  /** The attributes the device reported, as a plain string map (hawkBit's MgmtTargetAttributes). */
  @Get(':controllerId/attributes')
  async attributes(@Param('controllerId', new ParseControllerIdPipe()) controllerId: string) {
    return (await this.row(controllerId, 't.attributes')).attributes;
  }

  /** The target's tags (hawkBit's list of MgmtTag, not paged). */
  @Get(':controllerId/tags')
  async tags(@Param('controllerId', new ParseControllerIdPipe()) controllerId: string) {
    const target = await this.row(controllerId, 't.tags');
    const { rows } = await this.pool.query<TagRow>(
      `select * from ${INVENTORY_SCHEMA}.target_tags where name = any($1::text[]) order by id`,
      [target.tags ?? []],
    );
    return rows.map(toTagView);
  }

  /** The set assigned to the target (hawkBit's MgmtDistributionSet), or 204 when none is. */
  @Get(':controllerId/assignedDS')
  assignedSet(
    @Param('controllerId', new ParseControllerIdPipe()) controllerId: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.setOf(controllerId, 'assigned_ds_id', res);
  }

  /** The set installed on the target, or 204 when none is. */
  @Get(':controllerId/installedDS')
  installedSet(
    @Param('controllerId', new ParseControllerIdPipe()) controllerId: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.setOf(controllerId, 'installed_ds_id', res);
  }

  private async setOf(controllerId: string, column: 'assigned_ds_id' | 'installed_ds_id', res: Response) {
    const id = (await this.row(controllerId, `t.${column} as set_id`)) as unknown as { set_id: string | null };
    if (id.set_id === null) {
      res.status(204);
      return undefined;
    }
    return this.sets.view(Number(id.set_id));
  }

  private async row(controllerId: string, columns: string): Promise<TargetRow> {
    const { rows } = await this.pool.query<TargetRow>(
      `select ${columns} from ${targetsWithType} where t.controller_id = $1`,
      [controllerId],
    );
    if (rows.length === 0) throw notFound('Target', controllerId);
    return rows[0];
  }
}
