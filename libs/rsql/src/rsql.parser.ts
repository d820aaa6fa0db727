import { isMultiValueOperator, RSQL_OPERATORS, RsqlComparison, RsqlNode, RsqlOperator } from './rsql.ast';
import { describeToken, RsqlToken, tokenize } from './rsql.lexer';
import { TargetFilterSyntaxError } from './rsql-syntax.error';

/** Deeper nesting is refused so that a hostile query cannot exhaust the stack. */
export const MAX_NESTING_DEPTH = 32;

/**
 * Parses an RSQL/FIQL query into an AST.
 *
 * Grammar (whitespace between tokens is ignored):
 * ```
 * or         := and { ("," | "or") and }
 * and        := operand { (";" | "and") operand }
 * operand    := "(" or ")" | comparison
 * comparison := selector operator ( value | "(" value { "," value } ")" )
 * operator   := "==" | "!=" | "=lt=" | "=le=" | "=gt=" | "=ge=" | "=in=" | "=out=" | "<" | "<=" | ">" | ">="
 * value      := unquoted | 'single quoted' | "double quoted"   (backslash escapes the next character)
 * ```
 * `and`/`or` keywords are case-insensitive and must be separated from an unquoted value by whitespace.
 *
 * @throws TargetFilterSyntaxError naming the position and what was expected.
 */
export function parseRsql(query: string): RsqlNode {
  const parser = new RsqlParser(tokenize(query));
  return parser.parseQuery();
}

type LogicalKind = 'and' | 'or';

/** Likely causes of a token left over after a complete expression. */
const TRAILING_HINTS: Partial<Record<RsqlToken['kind'], string>> = {
  rparen: " (no matching '(')",
  word: '; quote values that contain spaces',
  quoted: '; quote values that contain spaces',
};

class RsqlParser {
  private index = 0;

  constructor(private readonly tokens: readonly RsqlToken[]) {}

  parseQuery(): RsqlNode {
    if (this.peek().kind === 'end') {
      throw new TargetFilterSyntaxError('empty query; expected a comparison such as name==value', 1);
    }
    const node = this.parseOr(0);
    const next = this.peek();
    if (next.kind !== 'end') {
      throw this.error(next, `';', ',', 'and', 'or' or end of query`, '', TRAILING_HINTS[next.kind] ?? '');
    }
    return node;
  }

  private parseOr(depth: number): RsqlNode {
    return this.parseChain('or', () => this.parseAnd(depth));
  }

  private parseAnd(depth: number): RsqlNode {
    return this.parseChain('and', () => this.parseOperand(depth));
  }

  private parseChain(kind: LogicalKind, parseOperand: () => RsqlNode): RsqlNode {
    const children = [parseOperand()];
    while (this.atLogical(kind)) {
      this.advance();
      children.push(parseOperand());
    }
    return children.length === 1 ? children[0] : { kind, children };
  }

  private atLogical(kind: LogicalKind): boolean {
    const token = this.peek();
    if (token.kind === (kind === 'and' ? 'semicolon' : 'comma')) return true;
    return token.kind === 'word' && token.text.toLowerCase() === kind;
  }

  private parseOperand(depth: number): RsqlNode {
    const token = this.peek();
    if (token.kind === 'lparen') {
      if (depth >= MAX_NESTING_DEPTH) {
        throw new TargetFilterSyntaxError(
          `parentheses nested deeper than ${MAX_NESTING_DEPTH} levels at position ${token.position}`,
          token.position,
        );
      }
      this.advance();
      const inner = this.parseOr(depth + 1);
      const closing = this.peek();
      if (closing.kind !== 'rparen') {
        throw this.error(closing, "')'", ` to close the '(' opened at position ${token.position}`);
      }
      this.advance();
      return inner;
    }
    return this.parseComparison();
  }

  private parseComparison(): RsqlComparison {
    const selector = this.peek();
    if (selector.kind !== 'word') throw this.error(selector, "a field name or '('");
    this.advance();
    const operatorToken = this.peek();
    if (operatorToken.kind !== 'operator') {
      throw this.error(
        operatorToken,
        `a comparison operator (${RSQL_OPERATORS.join(', ')})`,
        ` after field '${selector.raw}'`,
      );
    }
    this.advance();
    const operator = operatorToken.text as RsqlOperator;
    const values = this.parseArguments(operator, operatorToken);
    return { kind: 'comparison', selector: selector.text, operator, values, position: selector.position };
  }

  private parseArguments(operator: RsqlOperator, operatorToken: RsqlToken): string[] {
    const opening = this.peek();
    if (opening.kind !== 'lparen') return [this.parseValue(operator)];
    if (!isMultiValueOperator(operator)) {
      throw new TargetFilterSyntaxError(
        `operator '${operatorToken.raw}' at position ${operatorToken.position} takes a single value, ` +
          `found a list at position ${opening.position}; use =in= or =out= for a list`,
        opening.position,
      );
    }
    this.advance();
    const values = [this.parseValue(operator)];
    while (this.peek().kind === 'comma') {
      this.advance();
      values.push(this.parseValue(operator));
    }
    const closing = this.peek();
    if (closing.kind !== 'rparen') {
      throw this.error(closing, "',' or ')'", ` to close the value list opened at position ${opening.position}`);
    }
    this.advance();
    return values;
  }

  private parseValue(operator: RsqlOperator): string {
    const token = this.peek();
    if (token.kind !== 'word' && token.kind !== 'quoted') throw this.error(token, `a value for '${operator}'`);
    this.advance();
    return token.text;
  }

  private peek(): RsqlToken {
    return this.tokens[this.index];
  }

  private advance(): void {
    if (this.index < this.tokens.length - 1) this.index += 1;
  }

  private error(found: RsqlToken, expected: string, context = '', hint = ''): TargetFilterSyntaxError {
    const where = found.kind === 'end' ? 'reached the end of the query' : `found ${describeToken(found)}`;
    return new TargetFilterSyntaxError(
      `expected ${expected} at position ${found.position}${context} but ${where}${hint}`,
      found.position,
    );
  }
}
