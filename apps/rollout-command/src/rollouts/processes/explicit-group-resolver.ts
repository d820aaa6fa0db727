import type { GroupMember } from '@fleetwave/contracts';
import type { SqlExecutor } from '@fleetwave/event-store';
import { compileTargetFilter } from '../../targets/target-filter';
import type { GroupCut, RemainingTargets } from '../domain/explicit-group-split';
import { PAGE_SCAN_SPAN, PAGE_TIME_BUDGET_MS, readWindows, type WindowPage } from './id-window';

/** A group of an explicit split as stored for its creation: its own filter (none: the rollout's alone) and cut. */
export interface PlannedGroup {
  filter: string | null;
  lastTargetId: number | null;
}

/** One statement's bind parameters, shared by the several filters compiled into it. */
class Statement {
  readonly params: unknown[] = [];

  constructor(private readonly schema?: string) {}

  filter(query: string | null): string {
    if (query === null) return 'TRUE';
    const compiled = compileTargetFilter(query, this.params.length, this.schema);
    this.params.push(...compiled.params);
    // A filter over a missing value can be NULL; inside NOT and CASE it must count as no match.
    return `coalesce(${compiled.where}, false)`;
  }

  bind(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  /** Matches group `filter` within `cut` (the rule of groupOfTarget). */
  inGroup(filter: string | null, cut: Pick<GroupCut, 'lastTargetId'>): string {
    const match = this.filter(filter);
    return cut.lastTargetId === null ? match : `(${match} and t.id <= ${this.bind(cut.lastTargetId)}::bigint)`;
  }
}

/**
 * The SQL side of an explicit split: counts and positioned reads for planning, and the pages of
 * members for the creation chunks. Every query reads the rollout's targets (its filter, created
 * by the cutoff) and classifies them with the groups' filters and cuts, so nothing is loaded
 * whole and no list of assigned targets is kept.
 */
export class ExplicitGroupResolver {
  constructor(
    private readonly schema: string,
    private readonly span = PAGE_SCAN_SPAN,
    private readonly budgetMs = PAGE_TIME_BUDGET_MS,
  ) {}

  /** The planning port over the rollout's targets and the groups' own filters. */
  remaining(db: SqlExecutor, rolloutFilter: string, cutoff: number, filters: (string | null)[]): RemainingTargets {
    const available = (index: number, earlier: readonly GroupCut[]) => {
      const s = new Statement(this.schema);
      const taken = earlier.flatMap((cut, i) => (cut.lastTargetId === 0 ? [] : [s.inGroup(filters[i], cut)]));
      const where = [
        s.filter(rolloutFilter),
        `t.created_at <= to_timestamp(${s.bind(cutoff)}::bigint / 1000.0)`,
        s.filter(filters[index]),
        ...(taken.length > 0 ? [`not (${taken.join(' or ')})`] : []),
      ].join(' and ');
      return { s, where };
    };
    return {
      count: async (index, earlier) => {
        const { s, where } = available(index, earlier);
        const { rows } = await db.query<{ n: string }>(
          `select count(*) as n from ${this.schema}.targets t where ${where}`,
          s.params,
        );
        return Number(rows[0].n);
      },
      idAt: async (index, earlier, position) => {
        const { s, where } = available(index, earlier);
        const { rows } = await db.query<{ id: string }>(
          `select t.id from ${this.schema}.targets t where ${where} order by t.id offset ${s.bind(position - 1)}::bigint limit 1`,
          s.params,
        );
        if (rows.length === 0)
          throw new Error(`explicit split: no target at position ${position} of group ${index + 1}`);
        return Number(rows[0].id);
      },
    };
  }

  /**
   * Up to `limit` of the rollout's targets after `afterId` in id order, each with the group it
   * falls in (undefined: none), looking at no more than the next `span` ids, as the auto split's
   * pages do (a short page is not the end unless it says it is exhausted).
   */
  async page(
    tx: SqlExecutor,
    rolloutFilter: string,
    cutoff: number,
    groups: readonly PlannedGroup[],
    afterId: number,
    limit: number,
  ): Promise<WindowPage<{ member: GroupMember; groupIndex: number | undefined }>> {
    const page = { afterId, limit, span: this.span, budgetMs: this.budgetMs };
    return readWindows(
      tx,
      this.schema,
      page,
      (row) => row.member.targetId,
      async (after, upTo, wanted) => {
        const s = new Statement(this.schema);
        const branches = groups
          .map((group, index) => ({ group, index }))
          .filter(({ group }) => group.lastTargetId !== 0)
          .map(({ group, index }) => `when ${s.inGroup(group.filter, group)} then ${index}`);
        const groupOf = branches.length > 0 ? `case ${branches.join(' ')} end` : 'null::int';
        const where = [
          s.filter(rolloutFilter),
          `t.created_at <= to_timestamp(${s.bind(cutoff)}::bigint / 1000.0)`,
          `t.id > ${s.bind(after)}::bigint`,
          `t.id <= ${s.bind(upTo)}::bigint`,
        ].join(' and ');
        const { rows } = await tx.query<{ id: string; controller_id: string; group_index: number | null }>(
          `select t.id, t.controller_id, ${groupOf} as group_index from ${this.schema}.targets t
         where ${where} order by t.id limit ${s.bind(wanted)}::bigint`,
          s.params,
        );
        return rows.map((r) => ({
          member: { targetId: Number(r.id), controllerId: r.controller_id },
          groupIndex: r.group_index === null ? undefined : Number(r.group_index),
        }));
      },
    );
  }
}
