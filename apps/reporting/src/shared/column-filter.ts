import {
  parseRsql,
  TargetFilterFieldError,
  TargetFilterSyntaxError,
  type RsqlComparison,
  type RsqlNode,
} from '@fleetwave/rsql';

/** Binds a value and answers its placeholder in the statement (`$3`, `:rq0`, …). */
export type BindParam = (value: unknown) => string;

/** A filterable column of a read-model view: compared as text (case-insensitively) or as a number. */
export interface FilterColumn {
  column: string;
  kind: 'text' | 'number';
}

/** A field with rules of its own (hawkBit's action `status`, say): it compiles its comparisons itself. */
export interface CustomField {
  compile(node: RsqlComparison, param: BindParam): string;
}

export type FilterField = FilterColumn | CustomField;

const ordering: Record<string, string> = { '=lt=': '<', '=le=': '<=', '=gt=': '>', '=ge=': '>=' };

/** `*` is the wildcard; SQL's own wildcards and the escape character are taken literally. */
export const likePattern = (value: string): string => value.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%');

/**
 * Translates `q` (RSQL: `==` `!=` with `*`, `=lt=` `=le=` `=gt=` `=ge=`, `=in=` `=out=`, `;` `,`
 * and parentheses) over a table of fields into a SQL condition, as hawkBit reads it: field names
 * case-insensitive, text compared case-insensitively, `!=` and `=out=` also true where a value is
 * missing. Values are bound through `param` with explicit casts, so the same SQL serves
 * positional (`$n`) and named (`:name`) parameters.
 *
 * @throws TargetFilterSyntaxError for malformed queries, unknown fields and values a field cannot take.
 */
export function compileColumnFilter(
  query: string,
  entity: string,
  fields: Readonly<Record<string, FilterField>>,
  param: BindParam,
): string {
  const compile = (node: RsqlNode): string =>
    node.kind === 'comparison'
      ? compileComparison(node, entity, fields, param)
      : `(${node.children.map(compile).join(node.kind === 'and' ? ' AND ' : ' OR ')})`;
  return compile(parseRsql(query));
}

function compileComparison(
  node: RsqlComparison,
  entity: string,
  fields: Readonly<Record<string, FilterField>>,
  param: BindParam,
): string {
  const name = node.selector.toLowerCase();
  const field = Object.hasOwn(fields, name) ? fields[name] : undefined;
  if (!field) {
    throw new TargetFilterFieldError(
      `unknown field "${node.selector}" at position ${node.position}; ${entity} can be filtered by ${Object.keys(fields).join(', ')}`,
      node.position,
    );
  }
  if ('compile' in field) return field.compile(node, param);
  const text = field.kind === 'text';
  const values = node.values.map((raw): string | number => {
    if (text) return raw;
    if (!/^-?\d{1,16}$/.test(raw)) {
      throw new TargetFilterSyntaxError(
        `"${raw}" at position ${node.position} is not a number, as ${node.selector} needs`,
        node.position,
      );
    }
    return Number(raw);
  });
  const column = text ? `lower(${field.column})` : field.column;
  const bound = (value: unknown) => `CAST(${param(value)} AS ${text ? 'text' : 'bigint'})`;
  switch (node.operator) {
    case '==':
    case '!=': {
      const negate = node.operator === '!=';
      if (text)
        return `${negate ? 'NOT ' : ''}${column} LIKE lower(${bound(likePattern(String(values[0])))}) ESCAPE '\\'`;
      // A missing number is unequal to every number, as in SQL's three-valued logic.
      return negate ? `${column} IS DISTINCT FROM ${bound(values[0])}` : `${column} = ${bound(values[0])}`;
    }
    case '=in=':
    case '=out=': {
      const list = text ? values.map((v) => String(v).toLowerCase()) : values;
      const any = `${column} = ANY(CAST(${param(list)} AS ${text ? 'text' : 'bigint'}[]))`;
      return node.operator === '=in=' ? any : `NOT coalesce(${any}, false)`;
    }
    default:
      return `${column} ${ordering[node.operator]} ${text ? `lower(${bound(values[0])})` : bound(values[0])}`;
  }
}
