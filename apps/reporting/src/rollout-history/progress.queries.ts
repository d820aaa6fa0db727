import type { DataSource } from 'typeorm';
import { REPORTING_SCHEMA as S } from '../rollout-progress/rollout-progress.migration';
import { NotFoundInReadModel, UnsupportedQuery } from '../rollout-queries/not-found';
import { MINUTE_MS, SECOND_MS, type BucketDeltas } from './progress-buckets.plan';
import {
  estimateCompletion,
  estimateWindowMs,
  pointCounts,
  type ProgressPoint,
  type ProgressSeries,
} from './progress-series';

/** Runs one SQL statement and returns its rows (TypeORM's `DataSource.query` has this shape). */
export type SqlQuery = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/** What the series is of: the rollout as a whole, one group, or every group. */
export type SeriesScope = { kind: 'rollout' } | { kind: 'group'; groupId: number } | { kind: 'groups' };

export interface SeriesQuery {
  scope: SeriesScope;
  from?: number;
  to?: number;
  bucketSeconds?: number;
}

const n = (value: unknown): number => Number(value ?? 0);

/** Reads progress over time and completion estimates from the buckets and the rollout read model. */
export class ProgressQueries {
  constructor(private readonly sql: SqlQuery) {}

  /** Over TypeORM's connection, as the service wires it. */
  static over(db: DataSource): ProgressQueries {
    return new ProgressQueries((sql, params) => db.query(sql, params));
  }

  async series(rolloutId: number, query: SeriesQuery): Promise<ProgressSeries> {
    const [rollout] = await this.sql(
      `select r.action_type, r.total_targets, p.ended_at from ${S}.rollouts r
       left join ${S}.progress_rollouts p on p.rollout_id = r.id where r.id = $1`,
      [rolloutId],
    );
    if (!rollout) throw new NotFoundInReadModel('Rollout', rolloutId);
    const baseMs = rollout.ended_at === null ? SECOND_MS : MINUTE_MS;
    const bucketMs = query.bucketSeconds === undefined ? baseMs : query.bucketSeconds * 1_000;
    if (bucketMs % baseMs !== 0) {
      throw new UnsupportedQuery(`bucketSeconds must be a multiple of ${baseMs / 1_000} for this rollout`);
    }
    const totals = await this.totals(rolloutId, query.scope, n(rollout.total_targets));
    const { scope } = query;
    const rows = await this.sql(
      `with b as (
         select ${scope.kind === 'rollout' ? '0' : 'group_id'} as group_id, at - at % $2 as at,
           sum(scheduled) s, sum(running) ru, sum(downloaded) d, sum(finished) f, sum(error) e, sum(cancelled) c
         from ${S}.progress_buckets
         where rollout_id = $1 and ($3::bigint is null or group_id = $3)
         group by 1, 2
       ), cumulative as (
         select group_id, at, sum(s) over w s, sum(ru) over w ru, sum(d) over w d, sum(f) over w f,
           sum(e) over w e, sum(c) over w c
         from b window w as (partition by group_id order by at)
       )
       select * from cumulative where ($4::bigint is null or at >= $4) and ($5::bigint is null or at <= $5)
       order by group_id, at`,
      [rolloutId, bucketMs, scope.kind === 'group' ? scope.groupId : null, query.from ?? null, query.to ?? null],
    );
    const downloadOnly = rollout.action_type === 'downloadonly';
    const series: ProgressPoint[] = rows.flatMap((row) => {
      const group = n(row.group_id);
      const known = totals.get(group);
      // Buckets of a group the read model does not hold (yet) have no total to count from.
      if (!known) return [];
      const cumulative: BucketDeltas = {
        scheduled: n(row.s),
        running: n(row.ru),
        downloaded: n(row.d),
        finished: n(row.f),
        error: n(row.e),
        cancelled: n(row.c),
      };
      const counts = pointCounts(cumulative, known.total, downloadOnly);
      return [scope.kind === 'rollout' ? { at: n(row.at), counts } : { at: n(row.at), group, counts }];
    });
    if (scope.kind === 'groups') {
      const index = (p: ProgressPoint) => totals.get(p.group ?? 0)?.index ?? 0;
      series.sort((a, b) => index(a) - index(b) || a.at - b.at);
    }
    return { rolloutId, bucketSeconds: bucketMs / 1_000, series };
  }

  /**
   * `estimatedCompletionAt` of rollouts from the final-state deltas of their buckets since
   * `now − window` (or since their start, if later). `settled` is each rollout's count of
   * actions in a final bucket now.
   */
  async completionEstimates(
    rollouts: { id: number; status: string; totalTargets: number; settled: number }[],
    now: number,
  ): Promise<Map<number, number | null>> {
    const estimates = new Map<number, number | null>(rollouts.map((r) => [r.id, null]));
    const running = rollouts.filter((r) => r.status === 'running');
    if (running.length === 0) return estimates;
    const rows = await this.sql(
      `select r.id, greatest($2::bigint, r.started_at) as window_start,
         coalesce(sum(b.finished + b.error + b.cancelled
           + case when r.action_type = 'downloadonly' then b.downloaded else 0 end), 0) as finals
       from ${S}.rollouts r
       left join ${S}.progress_buckets b on b.rollout_id = r.id and b.at >= greatest($2::bigint, r.started_at) - ${SECOND_MS}
       where r.id = any($1::bigint[])
       group by r.id, r.started_at`,
      [running.map((r) => r.id), now - estimateWindowMs],
    );
    const observed = new Map(rows.map((row) => [n(row.id), row]));
    for (const r of running) {
      const row = observed.get(r.id);
      estimates.set(
        r.id,
        estimateCompletion({
          status: r.status,
          remaining: r.totalTargets - r.settled,
          finalsInWindow: n(row?.finals),
          windowMs: now - n(row?.window_start ?? now),
          now,
        }),
      );
    }
    return estimates;
  }

  /** Totals (and positions) of what the series is of: key 0 is the rollout as a whole. */
  private async totals(rolloutId: number, scope: SeriesScope, rolloutTotal: number) {
    const totals = new Map<number, { total: number; index: number }>();
    if (scope.kind === 'rollout') return totals.set(0, { total: rolloutTotal, index: 0 });
    const groups = await this.sql(
      `select id, index, total_targets from ${S}.rollout_groups where rollout_id = $1 and ($2::bigint is null or id = $2)`,
      [rolloutId, scope.kind === 'group' ? scope.groupId : null],
    );
    if (scope.kind === 'group' && groups.length === 0) throw new NotFoundInReadModel('RolloutGroup', scope.groupId);
    for (const g of groups) totals.set(n(g.id), { total: n(g.total_targets), index: n(g.index) });
    return totals;
  }
}
