import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import type { Pool } from 'pg';
import { ListQuery, page, ParseControllerIdPipe } from '@fleetwave/platform';
import { DATABASE_POOL } from '../../../shared/tokens';
import { notFound } from '../../../shared/application-error';
import { INVENTORY_SCHEMA } from '../../../inventory/inventory.migration';
import { compileTargetFilter } from '../../target-filter';
import { targetColumns, TargetRow, toTargetView } from '../../target.view';
import { orderBy } from '../../../shared/sorting';

const sortable = {
  id: 't.id',
  controllerid: 't.controller_id',
  name: 't.name',
  createdat: 't.created_at',
  lastmodifiedat: 't.last_modified_at',
};

@Controller('rest/v1/targets')
export class ListTargetsController {
  constructor(@Inject(DATABASE_POOL) private readonly pool: Pool) {}

  /** `query` arrives validated with its defaults applied (limit 50, at most 500) by the global pipe. */
  @Get()
  async list(@Query() query: ListQuery) {
    const filter = query.q ? compileTargetFilter(query.q) : { where: 'true', params: [] as unknown[] };
    const n = filter.params.length;
    const [rows, count] = await Promise.all([
      this.pool.query<TargetRow>(
        `select ${targetColumns} from ${INVENTORY_SCHEMA}.targets t where ${filter.where}
         order by ${orderBy(query.sort, sortable, 't.id')} offset $${n + 1} limit $${n + 2}`,
        [...filter.params, query.offset, query.limit],
      ),
      this.pool.query<{ total: string }>(
        `select count(*) as total from ${INVENTORY_SCHEMA}.targets t where ${filter.where}`,
        filter.params,
      ),
    ]);
    return page(rows.rows.map(toTargetView), Number(count.rows[0].total));
  }

  @Get(':controllerId')
  async get(@Param('controllerId', new ParseControllerIdPipe()) controllerId: string) {
    const { rows } = await this.pool.query<TargetRow>(
      `select ${targetColumns} from ${INVENTORY_SCHEMA}.targets where controller_id = $1`,
      [controllerId],
    );
    if (rows.length === 0) throw notFound('Target', controllerId);
    return toTargetView(rows[0]);
  }
}
