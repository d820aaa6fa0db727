import type { Pool } from 'pg';
import { ListQuery, page, Page } from '@fleetwave/platform';
import { compileTargetFilter, parseRsql, toSql, type FieldResolver } from '../targets/target-filter';
import { orderBy } from '../shared/sorting';

/** How one entity's list is read: its table (aliased), its `q` fields and its sortable columns. */
export interface ListSpec<Row, View = unknown> {
  /** `schema.table alias`, optionally with joins, e.g. `rollout_command.targets t`. */
  readonly from: string;
  readonly columns: string;
  /** Lower-case sort field → column; any other field is a 400. */
  readonly sortable: Record<string, string>;
  readonly tieBreaker: string;
  /** The `q` fields; the target filter's own fields when absent. */
  readonly fields?: FieldResolver;
  /** A condition every row must meet (e.g. membership of a tag), with its parameters. */
  readonly scope?: { where: string; params: unknown[] };
  readonly toView: (row: Row) => View;
}

/**
 * hawkBit's paged list: `q` in the target filter language over the entity's fields, `sort`
 * over its whitelisted columns (both directions), `offset`/`limit` as validated by ListQuery,
 * and the total of all matching rows.
 */
export async function listPage<Row extends object, View = unknown>(
  pool: Pool,
  spec: ListSpec<Row, View>,
  query: ListQuery,
): Promise<Page<View>> {
  const scope = spec.scope ?? { where: 'true', params: [] };
  const offset = scope.params.length;
  const filter = !query.q
    ? { where: 'true', params: [] as unknown[] }
    : spec.fields
      ? toSql(parseRsql(query.q), { paramOffset: offset, resolveField: spec.fields })
      : compileTargetFilter(query.q, offset);
  const params = [...scope.params, ...filter.params];
  const where = `(${scope.where}) and ${filter.where}`;
  const order = orderBy(query.sort, spec.sortable, spec.tieBreaker);
  const [rows, count] = await Promise.all([
    pool.query<Row>(
      `select ${spec.columns} from ${spec.from} where ${where}
       order by ${order} offset $${params.length + 1} limit $${params.length + 2}`,
      [...params, query.offset, query.limit],
    ),
    pool.query<{ total: string }>(`select count(*) as total from ${spec.from} where ${where}`, params),
  ]);
  return page(rows.rows.map(spec.toView), Number(count.rows[0].total));
}
