import { Injectable, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
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

/** A page request as the gateway validated it: offset and limit in range, sort and q as sent. */
export interface PageQuery {
  offset: number;
  limit: number;
  sort?: string;
  q?: string;
}

/** A page of views and how many there are in all. */
export interface ViewPage<T> {
  content: T[];
  total: number;
}

export type RolloutView = ReturnType<typeof toRolloutView>;
export type GroupView = ReturnType<typeof toGroupView>;

/**
 * Rollout and deployment-group queries over reporting's read model: the one handler of each
 * query, which the internal gRPC API serves. Views are data
 * (`fleetwave.internal.v1.RolloutView`, `GroupView`); hawkBit's JSON of them is `renderRollout`.
 */
@Injectable()
export class RolloutQueries {
  constructor(
    @InjectRepository(RolloutReadModel) private readonly rollouts: Repository<RolloutReadModel>,
    @InjectRepository(RolloutGroupReadModel) private readonly groups: Repository<RolloutGroupReadModel>,
    @InjectRepository(GroupActionCounts) private readonly counts: Repository<GroupActionCounts>,
    // The completion estimate; without it (a test wiring the repositories only) it is null.
    @Optional() private readonly progress?: ProgressQueries,
  ) {}

  async list(query: PageQuery): Promise<ViewPage<RolloutView>> {
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
    return {
      content: rows.map((r) => toRolloutView(r, totals.get(r.id) ?? noCounts, estimates.get(r.id) ?? null)),
      total,
    };
  }

  async get(id: number): Promise<RolloutView> {
    const rollout = await this.rollouts.findOneBy({ id });
    if (!rollout) throw new NotFoundInReadModel('Rollout', id);
    const counts = sumCounts(await this.countsBy('rolloutId', [id]));
    const estimates = await this.estimates([rollout], new Map([[id, counts]]));
    return toRolloutView(rollout, counts, estimates.get(id) ?? null);
  }

  async listGroups(id: number, query: PageQuery): Promise<ViewPage<GroupView>> {
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
    return { content: rows.map((g) => toGroupView(g, counts.get(g.id) ?? noCounts)), total };
  }

  async getGroup(id: number, groupId: number): Promise<GroupView> {
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
