import { parseRsql, TargetFilterSyntaxError, type RsqlComparison, type RsqlNode } from '@fleetwave/rsql';

/** A rollout filter as a condition on the rollout view aliased `r`, with named parameters. */
export interface RolloutFilterSql {
  where: string;
  params: Record<string, unknown>;
}

type Kind = 'text' | 'number';

/** Fields of `q` on rollouts (case-insensitive), as hawkBit names them, with their view columns. */
const fields: Record<string, { column: string; kind: Kind }> = {
  id: { column: 'r.id', kind: 'number' },
  name: { column: 'r.name', kind: 'text' },
  description: { column: "coalesce(r.description, '')", kind: 'text' },
  status: { column: 'r.status', kind: 'text' },
  type: { column: 'r.action_type', kind: 'text' },
  createdat: { column: 'r.created_at', kind: 'number' },
  createdby: { column: 'r.created_by', kind: 'text' },
  lastmodifiedat: { column: 'r.last_modified_at', kind: 'number' },
  lastmodifiedby: { column: 'r.last_modified_by', kind: 'text' },
  'distributionset.id': { column: 'r.distribution_set_id', kind: 'number' },
};

const comparison: Record<string, string> = { '=lt=': '<', '=le=': '<=', '=gt=': '>', '=ge=': '>=' };

/** `*` is the wildcard; SQL's own wildcards and the escape character are taken literally. */
const likePattern = (value: string): string => value.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%');

/**
 * Translates `q` on rollouts (RSQL: `==` `!=` with `*`, `=lt=` `=le=` `=gt=` `=ge=`, `=in=`
 * `=out=`, `;` `,` and parentheses) into SQL. Text compares case-insensitively, as hawkBit does.
 *
 * @throws TargetFilterSyntaxError for malformed queries, unknown fields and values a field cannot take.
 */
export function compileRolloutFilter(query: string): RolloutFilterSql {
  const params: Record<string, unknown> = {};
  const param = (value: unknown): string => {
    const name = `rq${Object.keys(params).length}`;
    params[name] = value;
    return `:${name}`;
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
      `unknown field "${node.selector}" at position ${node.position}; rollouts can be filtered by ${Object.keys(fields).join(', ')}`,
      node.position,
    );
  }
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
      const negate = node.operator === '!=' ? 'NOT ' : '';
      if (field.kind === 'text') {
        return `${negate}${column} LIKE lower(${param(likePattern(String(values[0])))}) ESCAPE '\\'`;
      }
      return `${column} ${node.operator === '==' ? '=' : '<>'} ${param(values[0])}`;
    }
    case '=in=':
    case '=out=': {
      const list = field.kind === 'text' ? values.map((v) => String(v).toLowerCase()) : values;
      const any = `${column} = ANY(${param(list)})`;
      return node.operator === '=in=' ? any : `NOT (${any})`;
    }
    default:
      return `${column} ${comparison[node.operator]} ${field.kind === 'text' ? `lower(${param(values[0])})` : param(values[0])}`;
  }
}
