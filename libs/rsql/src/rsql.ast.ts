/** Comparison operators after normalisation (`<` is reported as `=lt=`, and so on). */
export const RSQL_OPERATORS = ['==', '!=', '=lt=', '=le=', '=gt=', '=ge=', '=in=', '=out='] as const;

export type RsqlOperator = (typeof RSQL_OPERATORS)[number];

/** `selector operator value(s)`, e.g. `name==dev*` or `tag=in=(a,b)`. */
export interface RsqlComparison {
  readonly kind: 'comparison';
  /** The field name as written; resolving it (case-insensitively) is the translator's job. */
  readonly selector: string;
  readonly operator: RsqlOperator;
  /** Unquoted and unescaped. One value, except for `=in=` / `=out=`. `*` is kept as written. */
  readonly values: readonly string[];
  /** 1-based position of the selector in the query, for error messages. */
  readonly position: number;
}

/** Conjunction (`;` / `and`) or disjunction (`,` / `or`) of at least two operands. */
export interface RsqlGroup {
  readonly kind: 'and' | 'or';
  readonly children: readonly RsqlNode[];
}

export type RsqlNode = RsqlComparison | RsqlGroup;

export const isMultiValueOperator = (operator: RsqlOperator): boolean => operator === '=in=' || operator === '=out=';
