import { Controller, Get, Optional, Param, Query } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { ListQuery, page, ParseIdPipe } from '@fleetwave/platform';
import { GroupActionCounts, RolloutGroupReadModel, RolloutReadModel } from './read-model.entities';
import { Counts, noCounts, sumCounts, toGroupView, toRolloutView } from './rollout.views';
import { NotFoundInReadModel, UnsupportedQuery } from './not-found';
import { compileRolloutFilter } from './rollout-filter';
import { ProgressQueries } from '../rollout-history/progress.queries';

const sortable: Record<string, keyof RolloutReadModel> = {
  id: 'id',
  name: 'name',
  description: 'description',
  status: 'status',
  type: 'actionType',
  weight: 'weight',
  totaltargets: 'totalTargets',
  createdat: 'createdAt',
  createdby: 'createdBy',
  lastmodifiedat: 'lastModifiedAt',
  lastmodifiedby: 'lastModifiedBy',
};

const parseRolloutId = new ParseIdPipe('Rollout');
const parseGroupId = new ParseIdPipe('RolloutGroup');

/**
 * Rollout and deployment-group queries, served from reporting's read model. Path ids go through
 * {@link ParseIdPipe}; list queries arrive validated, with their defaults, from the global pipe.
 */
@Controller('rest/v1/rollouts')
export class RolloutQueriesController {
  constructor(
    @InjectRepository(RolloutReadModel) private readonly rollouts: Repository<RolloutReadModel>,
    @InjectRepository(RolloutGroupReadModel) private readonly groups: Repository<RolloutGroupReadModel>,
    @InjectRepository(GroupActionCounts) private readonly counts: Repository<GroupActionCounts>,
    // The completion estimate; without it (a test wiring the repositories only) it is null.
    @Optional() private readonly progress?: ProgressQueries,
  ) {}

  @Get()
  async list(@Query() query: ListQuery) {
    const builder = this.rollouts.createQueryBuilder('r');
    if (query.q) {
      const filter = compileRolloutFilter(query.q);
      builder.where(filter.where, filter.params);
    }
    Object.entries(withIdTieBreak(sortOrder(query.sort))).forEach(([property, direction], i) =>
      i === 0 ? builder.orderBy(`r.${property}`, direction) : builder.addOrderBy(`r.${property}`, direction),
    );
    const [rows, total] = await builder.offset(query.offset).limit(query.limit).getManyAndCount();
    const counts = await this.countsBy(
      'rolloutId',
      rows.map((r) => r.id),
    );
    const totals = new Map(rows.map((r) => [r.id, sumCounts(counts.filter((c) => c.rolloutId === r.id))]));
    const estimates = await this.estimates(rows, totals);
    return page(
      rows.map((r) => toRolloutView(r, totals.get(r.id) ?? noCounts, estimates.get(r.id) ?? null)),
      total,
    );
  }

  @Get(':id')
  async get(@Param('id', parseRolloutId) id: number) {
    const rollout = await this.rollouts.findOneBy({ id });
    if (!rollout) throw new NotFoundInReadModel('Rollout', id);
    const counts = sumCounts(await this.countsBy('rolloutId', [id]));
    const estimates = await this.estimates([rollout], new Map([[id, counts]]));
    return toRolloutView(rollout, counts, estimates.get(id) ?? null);
  }

  @Get(':id/deploygroups')
  async listGroups(@Param('id', parseRolloutId) id: number, @Query() query: ListQuery) {
    if (!(await this.rollouts.existsBy({ id }))) throw new NotFoundInReadModel('Rollout', id);
    const [rows, total] = await this.groups.findAndCount({
      where: { rolloutId: id },
      order: { index: 'ASC' },
      skip: query.offset,
      take: query.limit,
    });
    const counts = new Map(
      (
        await this.countsBy(
          'groupId',
          rows.map((g) => g.id),
        )
      ).map((c) => [c.groupId, c]),
    );
    return page(
      rows.map((g) => toGroupView(g, counts.get(g.id) ?? noCounts)),
      total,
    );
  }

  @Get(':id/deploygroups/:groupId')
  async getGroup(@Param('id', parseRolloutId) id: number, @Param('groupId', parseGroupId) groupId: number) {
    const group = await this.groups.findOneBy({ id: groupId, rolloutId: id });
    if (!group) throw new NotFoundInReadModel('RolloutGroup', groupId);
    const [counts] = await this.countsBy('groupId', [groupId]);
    return toGroupView(group, counts ?? noCounts);
  }

  /** `estimatedCompletionAt` of the listed rollouts, in one query for the running ones. */
  private async estimates(rows: RolloutReadModel[], totals: Map<number, Counts>): Promise<Map<number, number | null>> {
    if (!this.progress) return new Map();
    const settled = (c: Counts = noCounts) => c.finished + c.error + c.cancelled;
    return this.progress.completionEstimates(
      rows.map((r) => ({
        id: r.id,
        status: r.status,
        totalTargets: r.totalTargets,
        settled: settled(totals.get(r.id)),
      })),
      Date.now(),
    );
  }

  private countsBy(key: 'rolloutId' | 'groupId', ids: number[]): Promise<(GroupActionCounts & Counts)[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.counts.findBy({ [key]: In(ids) });
  }
}

/** The requested order, then id as the tie-break (unless id was asked for): keys keep their order. */
function withIdTieBreak(
  order: Partial<Record<keyof RolloutReadModel, 'ASC' | 'DESC'>>,
): Partial<Record<keyof RolloutReadModel, 'ASC' | 'DESC'>> {
  return 'id' in order ? order : { ...order, id: 'ASC' };
}

function sortOrder(sort: string | undefined): Partial<Record<keyof RolloutReadModel, 'ASC' | 'DESC'>> {
  if (!sort) return {};
  return Object.fromEntries(
    sort.split(',').map((part) => {
      const [field, direction = 'ASC'] = part.trim().split(':');
      const column = sortable[field.toLowerCase()];
      const dir = direction.toUpperCase();
      if (!column || (dir !== 'ASC' && dir !== 'DESC')) {
        throw new UnsupportedQuery(
          `cannot sort by "${part}": use field:ASC|DESC with field one of ${Object.keys(sortable).join(', ')}`,
        );
      }
      return [column, dir];
    }),
  );
}
