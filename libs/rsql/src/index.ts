export type { RsqlComparison, RsqlGroup, RsqlNode, RsqlOperator } from './rsql.ast';
export { isMultiValueOperator, RSQL_OPERATORS } from './rsql.ast';
export { MAX_NESTING_DEPTH, parseRsql } from './rsql.parser';
export { TargetFilterFieldError, TargetFilterSyntaxError } from './rsql-syntax.error';
