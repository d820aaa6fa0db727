import { parseRsql } from '@fleetwave/rsql';
import { TargetFilterSql, toSql } from './target-filter.sql';

export type { RsqlComparison, RsqlGroup, RsqlNode, RsqlOperator } from '@fleetwave/rsql';
export { parseRsql } from '@fleetwave/rsql';
export { TARGET_FILTER_FIELDS, UPDATE_STATUSES } from './target-filter.fields';
export { TargetFilterFieldError, TargetFilterSyntaxError } from '@fleetwave/rsql';
export { toSql } from './target-filter.sql';
export type { FieldResolver, TargetFilterSql, ToSqlOptions } from './target-filter.sql';
export type { TargetField } from './target-filter.fields';

/**
 * Parses a target filter query and translates it to a parameterised condition on `targets t`,
 * e.g. `compileTargetFilter('name==dev*;updatestatus==in_sync', 1)` gives `params: ['dev%', 'in_sync']` and
 * `where: "(lower(t.name) LIKE lower($2::text) ESCAPE '\\' AND t.update_status = $3::text)"`.
 *
 * @param paramOffset parameters already used by the surrounding statement (default 0).
 * @param schema the inventory schema, which lets tag comparisons use the tags index.
 * @throws TargetFilterSyntaxError (code `TARGET_FILTER.INVALID`) for any malformed query; its subclass
 * TargetFilterFieldError (code `TARGET_FILTER.UNKNOWN_FIELD`) for a field targets do not have.
 */
export function compileTargetFilter(query: string, paramOffset = 0, schema?: string): TargetFilterSql {
  return toSql(parseRsql(query), { paramOffset, schema });
}
