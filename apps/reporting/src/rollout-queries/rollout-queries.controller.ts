import { Controller, Get, Inject, Param, ParseIntPipe, Query } from '@nestjs/common';
import type { Pool } from 'pg';
import { ListQuery, page } from '@fleetwave/platform';
import { REPORTING_SCHEMA as S } from '../rollout-progress/rollout-progress.migration';
import { GroupRow, RolloutRow, toGroupView, toRolloutView } from './rollout.views';
import { READ_POOL } from './tokens';
import { NotFoundInReadModel } from './not-found';

const counts = `coalesce(sum(c.scheduled), 0)::int as scheduled, coalesce(sum(c.running), 0)::int as running,
  coalesce(sum(c.finished), 0)::int as finished, coalesce(sum(c.error), 0)::int as error,
  coalesce(sum(c.cancelled), 0)::int as cancelled`;

const rolloutSelect = `select r.*, ${counts} from ${S}.rollouts r
  left join ${S}.group_action_counts c on c.rollout_id = r.id`;

const groupSelect = `select g.*, coalesce(c.scheduled, 0) as scheduled, coalesce(c.running, 0) as running,
  coalesce(c.finished, 0) as finished, coalesce(c.error, 0) as error, coalesce(c.cancelled, 0) as cancelled
  from ${S}.rollout_groups g left join ${S}.group_action_counts c on c.group_id = g.id`;

/** Rollout and deployment-group queries, served from reporting's read model. */
@Controller('rest/v1/rollouts')
export class RolloutQueriesController {
  constructor(@Inject(READ_POOL) private readonly pool: Pool) {}

  @Get()
  async list(@Query() query: ListQuery) {
    const [rows, total] = await Promise.all([
      this.pool.query<RolloutRow>(`${rolloutSelect} group by r.id order by r.id offset $1 limit $2`, [
        query.offset,
        query.limit,
      ]),
      this.pool.query<{ n: string }>(`select count(*) as n from ${S}.rollouts`),
    ]);
    return page(rows.rows.map(toRolloutView), Number(total.rows[0].n));
  }

  @Get(':id')
  async get(@Param('id', ParseIntPipe) id: number) {
    const { rows } = await this.pool.query<RolloutRow>(`${rolloutSelect} where r.id = $1 group by r.id`, [id]);
    if (rows.length === 0) throw new NotFoundInReadModel('Rollout', id);
    return toRolloutView(rows[0]);
  }

  @Get(':id/deploygroups')
  async groups(@Param('id', ParseIntPipe) id: number, @Query() query: ListQuery) {
    await this.get(id);
    const [rows, total] = await Promise.all([
      this.pool.query<GroupRow>(`${groupSelect} where g.rollout_id = $1 order by g.index offset $2 limit $3`, [
        id,
        query.offset,
        query.limit,
      ]),
      this.pool.query<{ n: string }>(`select count(*) as n from ${S}.rollout_groups where rollout_id = $1`, [id]),
    ]);
    return page(rows.rows.map(toGroupView), Number(total.rows[0].n));
  }

  @Get(':id/deploygroups/:groupId')
  async group(@Param('id', ParseIntPipe) id: number, @Param('groupId', ParseIntPipe) groupId: number) {
    const { rows } = await this.pool.query<GroupRow>(`${groupSelect} where g.rollout_id = $1 and g.id = $2`, [
      id,
      groupId,
    ]);
    if (rows.length === 0) throw new NotFoundInReadModel('RolloutGroup', groupId);
    return toGroupView(rows[0]);
  }
}
