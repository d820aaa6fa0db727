import { parseRsql, TargetFilterSyntaxError, type RsqlComparison, type RsqlNode } from '@fleetwave/rsql';

/** A condition on `action_views` (aliased `a`) with positional parameters after the caller's. */
export interface ActionFilterSql {
  where: string;
  params: unknown[];
}

type Kind = 'text' | 'number' | 'active';

/**
 * Fields of `q` on actions (case-insensitive), as hawkBit names them: `status` is hawkBit's
 * pending/finished (whether the action is active), `detailStatus` the action's own status, and
 * `target.id` the controllerId, as everywhere in hawkBit's API.
 */
const fields: Record<string, { column: string; kind: Kind }> = {
  id: { column: 'a.id', kind: 'number' },
  status: { column: 'a.active', kind: 'active' },
  detailstatus: { column: 'a.status', kind: 'text' },
  laststatuscode: { column: 'a.last_status_code', kind: 'number' },
  weight: { column: 'a.weight', kind: 'number' },
  createdat: { column: 'a.created_at', kind: 'number' },
  lastmodifiedat: { column: 'a.last_modified_at', kind: 'number' },
  'target.id': { column: 'a.controller_id', kind: 'text' },
  'target.controllerid': { column: 'a.controller_id', kind: 'text' },
  'rollout.id': { column: 'a.rollout_id', kind: 'number' },
  'rollout.name': { column: "coalesce(a.rollout_name, '')", kind: 'text' },
  'rolloutgroup.id': { column: 'a.group_id', kind: 'number' },
  'rolloutgroup.name': { column: "coalesce(a.group_name, '')", kind: 'text' },
  'distributionset.id': { column: 'a.distribution_set_id', kind: 'number' },
  'distributionset.name': { column: "coalesce(a.distribution_set_name, '')", kind: 'text' },
  'distributionset.version': { column: "coalesce(a.distribution_set_version, '')", kind: 'text' },
};

/** The fields `q` takes on actions, for error messages and documentation. */
export const actionFilterFields = Object.keys(fields);

const comparison: Record<string, string> = { '=lt=': '<', '=le=': '<=', '=gt=': '>', '=ge=': '>=' };
const activeValues: Record<string, boolean> = { pending: true, finished: false };

/** `*` is the wildcard; SQL's own wildcards and the escape character are taken literally. */
const likePattern = (value: string): string => value.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%');

/**
 * Translates `q` on actions (RSQL: `==` `!=` with `*`, `=lt=` `=le=` `=gt=` `=ge=`, `=in=`
 * `=out=`, `;` `,` and parentheses) into SQL; text compares case-insensitively, as hawkBit does.
 * `firstParam` is the number of the first `$n` the condition may use.
 *
 * @throws TargetFilterSyntaxError for malformed queries, unknown fields and values a field cannot take.
 */
export function compileActionFilter(query: string, firstParam = 1): ActionFilterSql {
  const params: unknown[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${firstParam + params.length - 1}`;
  };
  const compile = (node: RsqlNode): string =>
    node.kind === 'comparison'
      ? compileComparison(node, param)
      : `(${node.children.map(compile).join(node.kind === 'and' ? ' AND ' : ' OR ')})`;
  return { where: compile(parseRsql(query)), params };
}

function compileComparison(node: RsqlComparison, param: (value: unknown) => string): string {
  const field = fields[node.selector.toLowerCase()];
  if (!field) {
    throw new TargetFilterSyntaxError(
      `unknown field "${node.selector}" at position ${node.position}; actions can be filtered by ${actionFilterFields.join(', ')}`,
      node.position,
    );
  }
  if (field.kind === 'active') return compileActive(node, field.column, param);
  const value = (raw: string): string | number => {
    if (field.kind === 'text') return raw;
    if (!/^-?\d{1,16}$/.test(raw)) {
      throw new TargetFilterSyntaxError(
        `"${raw}" at position ${node.position} is not a number, as ${node.selector} needs`,
        node.position,
      );
    }
    return Number(raw);
  };
  const column = field.kind === 'text' ? `lower(${field.column})` : field.column;
  const values = node.values.map(value);
  switch (node.operator) {
    case '==':
    case '!=': {
      const negate = node.operator === '!=';
      if (field.kind === 'text') {
        return `${negate ? 'NOT ' : ''}${column} LIKE lower(${param(likePattern(String(values[0])))}) ESCAPE '\\'`;
      }
      // A missing value (no status code reported) is unequal to every number, as in SQL's three-valued logic.
      return negate
        ? `${column} IS DISTINCT FROM ${param(values[0])}::bigint`
        : `${column} = ${param(values[0])}::bigint`;
    }
    case '=in=':
    case '=out=': {
      const list = field.kind === 'text' ? values.map((v) => String(v).toLowerCase()) : values;
      const any = `${column} = ANY(${param(list)}::${field.kind === 'text' ? 'text' : 'bigint'}[])`;
      return node.operator === '=in=' ? any : `NOT coalesce(${any}, false)`;
    }
    default:
      return field.kind === 'text'
        ? `${column} ${comparison[node.operator]} lower(${param(values[0])})`
        : `${column} ${comparison[node.operator]} ${param(values[0])}::bigint`;
  }
}

/** hawkBit's `status`: `pending` (active) or `finished` (not), with equality operators only. */
function compileActive(node: RsqlComparison, column: string, param: (value: unknown) => string): string {
  const flags = node.values.map((raw) => {
    const flag = activeValues[raw.toLowerCase()];
    if (flag === undefined) {
      throw new TargetFilterSyntaxError(
        `"${raw}" at position ${node.position} is not an action status: use pending or finished`,
        node.position,
      );
    }
    return flag;
  });
  switch (node.operator) {
    case '==':
      return `${column} = ${param(flags[0])}::boolean`;
    case '!=':
      return `${column} <> ${param(flags[0])}::boolean`;
    case '=in=':
      return `${column} = ANY(${param(flags)}::boolean[])`;
    case '=out=':
      return `NOT (${column} = ANY(${param(flags)}::boolean[]))`;
    default:
      throw new TargetFilterSyntaxError(
        `${node.operator} at position ${node.position} does not apply to status; use ==, !=, =in= or =out=`,
        node.position,
      );
  }
}
