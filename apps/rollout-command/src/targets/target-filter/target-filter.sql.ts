import { isMultiValueOperator, type RsqlComparison, type RsqlNode, type RsqlOperator } from '@fleetwave/rsql';
import { SqlParams } from './sql-params';
import { resolveTargetField, TargetField, UPDATE_STATUSES } from './target-filter.fields';
import { TargetFilterSyntaxError } from '@fleetwave/rsql';

export interface ToSqlOptions {
  /** Number of parameters the surrounding statement already uses; the first one here is `$(offset+1)`. */
  readonly paramOffset?: number;
  /**
   * Resolves a selector to its column; the targets' fields unless given, so that other
   * entities' lists (distribution sets, modules, tags …) take the same query language.
   */
  readonly resolveField?: FieldResolver;
  /**
   * The inventory schema, where known: `tag==x` and `tag=in=(…)` then also test the tag names
   * (from `target_tags`) against the `targets_tags` GIN index, so that a fleet is not scanned.
   */
  readonly schema?: string;
}

/** Maps a selector, at its 1-based position, to a field, or throws TargetFilterSyntaxError. */
export type FieldResolver = (selector: string, position: number) => TargetField;

export interface TargetFilterSql {
  /** A self-contained boolean SQL expression over `targets t`, safe to combine with AND/OR. */
  readonly where: string;
  readonly params: unknown[];
}

type Ordering = '=lt=' | '=le=' | '=gt=' | '=ge=';

const ORDERING_SQL: Readonly<Record<Ordering, string>> = { '=lt=': '<', '=le=': '<=', '=gt=': '>', '=ge=': '>=' };

const isOrdering = (operator: RsqlOperator): operator is Ordering => operator in ORDERING_SQL;

const isNegation = (operator: RsqlOperator): boolean => operator === '!=' || operator === '=out=';

/** Epoch milliseconds Postgres can represent as a timestamptz (0001-01-01 .. JavaScript's Date limit). */
const MIN_EPOCH_MILLIS = -62_135_596_800_000;
const MAX_EPOCH_MILLIS = 8_640_000_000_000_000;

/**
 * Translates a parsed target filter into a parameterised Postgres condition on `targets t`.
 *
 * Semantics, following hawkBit:
 * - text comparisons (`==`, `!=`, `=in=`, `=out=`, and the orderings) are case-insensitive;
 *   `*` in a `==` / `!=` value is a wildcard (LIKE `%`), literal `%` and `_` are escaped;
 * - `!=` and `=out=` are the exact complement of `==` and `=in=`: a target whose column is NULL
 *   (no name, no such attribute, ...) counts as "not equal" and is matched;
 * - `tag==x` matches when any tag matches; `tag!=x` when none does (so also untagged targets);
 * - timestamps take epoch milliseconds and are compared at millisecond precision;
 * - `updatestatus` takes one of unknown, in_sync, pending, error, registered (any case).
 *
 * @throws TargetFilterSyntaxError for an unknown field, an operator the field does not support,
 *   or a value the field cannot take.
 */
export function toSql(node: RsqlNode, options: ToSqlOptions = {}): TargetFilterSql {
  const offset = options.paramOffset ?? 0;
  if (!Number.isInteger(offset) || offset < 0) {
    throw new RangeError(`paramOffset must be a non-negative integer, got ${offset}`);
  }
  const params = new SqlParams(offset);
  const where = translate(node, params, options.resolveField ?? resolveTargetField, options.schema);
  return { where, params: params.values };
}

function translate(node: RsqlNode, params: SqlParams, resolve: FieldResolver, schema?: string): string {
  if (node.kind === 'comparison') return translateComparison(node, params, resolve, schema);
  if (node.children.length === 0) return node.kind === 'and' ? 'TRUE' : 'FALSE';
  const parts = node.children.map((child) => translate(child, params, resolve, schema));
  return parts.length === 1 ? parts[0] : `(${parts.join(node.kind === 'and' ? ' AND ' : ' OR ')})`;
}

function translateComparison(
  comparison: RsqlComparison,
  params: SqlParams,
  resolve: FieldResolver,
  schema?: string,
): string {
  checkArity(comparison);
  const field = resolve(comparison.selector, comparison.position);
  switch (field.kind) {
    case 'text':
      return nullableScalar(field.column, comparison, textPredicate(field.column, comparison, params));
    case 'map-entry': {
      const key = params.bind(field.key, 'text');
      const entry = `(${field.column} ->> ${key})`;
      const predicate = textPredicate(entry, comparison, params);
      const indexed = field.column === 't.attributes' ? attributeContainment(key, comparison, params) : undefined;
      return nullableScalar(entry, comparison, indexed ? `(${indexed} AND ${predicate})` : predicate);
    }
    case 'timestamp':
      return nullableScalar(field.column, comparison, timestampPredicate(field, comparison, params));
    case 'update-status':
      return nullableScalar(field.column, comparison, updateStatusPredicate(field, comparison, params));
    case 'tag': {
      requireEqualityOperator(field, comparison);
      const match = textMatch('target_tag.name', comparison, params);
      const exists = `EXISTS (SELECT 1 FROM unnest(${field.column}) AS target_tag(name) WHERE ${match})`;
      if (isNegation(comparison.operator)) return `NOT ${exists}`;
      const indexed = schema ? tagOverlap(field.column, schema, comparison, params) : undefined;
      return indexed ? `(${indexed} AND ${exists})` : exists;
    }
  }
}

/**
 * For exact (wildcard-free) `==` and `=in=` on an attribute, a containment test on the attribute
 * map with keys and values lowered: the GIN index `targets_attributes_lower` answers it, so a
 * million-target fleet is not scanned. It may also match a key differing only in case, which the
 * exact predicate it is combined with then drops. Negations are left to the exact predicate.
 */
function attributeContainment(key: string, comparison: RsqlComparison, params: SqlParams): string | undefined {
  const { operator, values } = comparison;
  const exact = operator === '=in=' || (operator === '==' && !values[0].includes('*'));
  if (!exact) return undefined;
  const contains = (value: string): string =>
    `lower(t.attributes::text)::jsonb @> jsonb_build_object(lower(${key}), lower(${params.bind(value, 'text')}))`;
  const tests = values.map(contains);
  return tests.length === 1 ? tests[0] : `(${tests.join(' OR ')})`;
}

/**
 * For exact `tag==x` and `tag=in=(…)`: an overlap of the target's tags with the names of the
 * matching tags (case-insensitive, looked up once in the small `target_tags` table), which the
 * GIN index `targets_tags` answers. Exact because a target only carries names of `target_tags`
 * (tags are assigned, renamed and deleted through that table); the exact test stays as the recheck.
 */
function tagOverlap(column: string, schema: string, comparison: RsqlComparison, params: SqlParams) {
  if (comparison.values.some((value) => value.includes('*'))) return undefined;
  const names = comparison.values.map((value) => `lower(${params.bind(value, 'text')})`);
  return `${column} && (SELECT coalesce(array_agg(tt.name), '{}') FROM ${schema}.target_tags tt WHERE lower(tt.name) IN (${names.join(', ')}))`;
}

/** `!=` / `=out=` negate the positive predicate and also match NULL, where the positive one is unknown. */
function nullableScalar(expression: string, comparison: RsqlComparison, positive: string): string {
  return isNegation(comparison.operator) ? `(${expression} IS NULL OR NOT (${positive}))` : positive;
}

function textPredicate(expression: string, comparison: RsqlComparison, params: SqlParams): string {
  const { operator, values } = comparison;
  if (isOrdering(operator))
    return `lower(${expression}) ${ORDERING_SQL[operator]} lower(${params.bind(values[0], 'text')})`;
  return textMatch(expression, comparison, params);
}

/** Case-insensitive equality, wildcard match or list membership. */
function textMatch(expression: string, comparison: RsqlComparison, params: SqlParams): string {
  const lowered = `lower(${expression})`;
  if (isMultiValueOperator(comparison.operator)) {
    const list = comparison.values.map((value) => `lower(${params.bind(value, 'text')})`);
    return `${lowered} IN (${list.join(', ')})`;
  }
  const [value] = comparison.values;
  if (value.includes('*')) return `${lowered} LIKE lower(${params.bind(toLikePattern(value), 'text')}) ESCAPE '\\'`;
  return `${lowered} = lower(${params.bind(value, 'text')})`;
}

/** `*` becomes `%`; the LIKE metacharacters `%`, `_` and the escape character itself become literals. */
export const toLikePattern = (value: string): string =>
  value.replace(/[\\%_]/g, (char) => `\\${char}`).replace(/\*/g, '%');

function timestampPredicate(field: TargetField, comparison: RsqlComparison, params: SqlParams): string {
  const column = field.column;
  const millis = comparison.values.map((value) => params.bind(epochMillis(value, field, comparison), 'bigint'));
  // [start of that millisecond, start of the next) so that microseconds stored in the column do not matter.
  const start = (param: string): string => `to_timestamp(${param} / 1000.0)`;
  const next = (param: string): string => `to_timestamp((${param} + 1) / 1000.0)`;
  const within = (param: string): string => `(${column} >= ${start(param)} AND ${column} < ${next(param)})`;
  switch (comparison.operator) {
    case '=lt=':
      return `${column} < ${start(millis[0])}`;
    case '=le=':
      return `${column} < ${next(millis[0])}`;
    case '=gt=':
      return `${column} >= ${next(millis[0])}`;
    case '=ge=':
      return `${column} >= ${start(millis[0])}`;
    default:
      return millis.length === 1 ? within(millis[0]) : `(${millis.map(within).join(' OR ')})`;
  }
}

function epochMillis(value: string, field: TargetField, comparison: RsqlComparison): string {
  const number = /^-?\d{1,16}$/.test(value) ? Number(value) : Number.NaN;
  if (number >= MIN_EPOCH_MILLIS && number <= MAX_EPOCH_MILLIS) return String(number);
  throw new TargetFilterSyntaxError(
    `field '${field.name}' at position ${comparison.position} expects epoch milliseconds ` +
      `(an integer between ${MIN_EPOCH_MILLIS} and ${MAX_EPOCH_MILLIS}), got '${value}'`,
    comparison.position,
  );
}

function updateStatusPredicate(field: TargetField, comparison: RsqlComparison, params: SqlParams): string {
  requireEqualityOperator(field, comparison);
  const statuses = comparison.values.map((value) => {
    const status = value.toLowerCase();
    if ((UPDATE_STATUSES as readonly string[]).includes(status)) return params.bind(status, 'text');
    throw new TargetFilterSyntaxError(
      `field '${field.name}' at position ${comparison.position} expects one of ${UPDATE_STATUSES.join(', ')} ` +
        `(wildcards are not supported), got '${value}'`,
      comparison.position,
    );
  });
  return statuses.length === 1 && !isMultiValueOperator(comparison.operator)
    ? `${field.column} = ${statuses[0]}`
    : `${field.column} IN (${statuses.join(', ')})`;
}

function requireEqualityOperator(field: TargetField, comparison: RsqlComparison): void {
  if (!isOrdering(comparison.operator)) return;
  throw new TargetFilterSyntaxError(
    `operator '${comparison.operator}' is not supported for field '${field.name}' at position ` +
      `${comparison.position}; expected one of ==, !=, =in=, =out=`,
    comparison.position,
  );
}

/** The parser guarantees this; an AST built by hand might not. */
function checkArity(comparison: RsqlComparison): void {
  const count = comparison.values.length;
  const valid = isMultiValueOperator(comparison.operator) ? count > 0 : count === 1;
  if (valid) return;
  throw new TargetFilterSyntaxError(
    `operator '${comparison.operator}' at position ${comparison.position} got ${count} values`,
    comparison.position,
  );
}
