import { RSQL_OPERATORS, RsqlOperator } from './rsql.ast';
import { TargetFilterSyntaxError } from './rsql-syntax.error';

export type RsqlTokenKind = 'lparen' | 'rparen' | 'semicolon' | 'comma' | 'operator' | 'word' | 'quoted' | 'end';

export interface RsqlToken {
  readonly kind: RsqlTokenKind;
  /** Decoded text: the normalised operator, the unescaped content of a quoted value, etc. */
  readonly text: string;
  /** The characters as written in the query. */
  readonly raw: string;
  /** 1-based position of the token's first character. */
  readonly position: number;
}

const OPERATOR_LIST = RSQL_OPERATORS.join(', ');

/** Characters RSQL reserves; an unquoted selector or value stops at them (and at whitespace). */
const RESERVED = new Set(['"', "'", '(', ')', ';', ',', '=', '!', '~', '<', '>']);

const SINGLE_CHAR_TOKENS: Readonly<Record<string, RsqlTokenKind>> = {
  '(': 'lparen',
  ')': 'rparen',
  ';': 'semicolon',
  ',': 'comma',
};

/** The comparison shorthands of FIQL/RSQL, normalised to their `=xx=` spelling. */
const ANGLE_OPERATORS: ReadonlyArray<readonly [string, RsqlOperator]> = [
  ['<=', '=le='],
  ['>=', '=ge='],
  ['<', '=lt='],
  ['>', '=gt='],
];

const isWhitespace = (char: string): boolean => /\s/.test(char);

const isKnownOperator = (text: string): text is RsqlOperator => (RSQL_OPERATORS as readonly string[]).includes(text);

/** Splits a query into tokens; whitespace between tokens is skipped. */
export function tokenize(query: string): RsqlToken[] {
  const tokens: RsqlToken[] = [];
  let index = 0;
  while (index < query.length) {
    const char = query[index];
    if (isWhitespace(char)) {
      index += 1;
      continue;
    }
    const token = readToken(query, index);
    tokens.push(token);
    index += token.raw.length;
  }
  tokens.push({ kind: 'end', text: '', raw: '', position: query.length + 1 });
  return tokens;
}

function readToken(query: string, index: number): RsqlToken {
  const char = query[index];
  const position = index + 1;
  const single = SINGLE_CHAR_TOKENS[char];
  if (single) return { kind: single, text: char, raw: char, position };
  if (char === '"' || char === "'") return readQuoted(query, index);
  if (char === '=' || char === '!' || char === '<' || char === '>') return readOperator(query, index);
  if (char === '~') {
    throw new TargetFilterSyntaxError(
      `unexpected '~' at position ${position}; expected a comparison operator (${OPERATOR_LIST})`,
      position,
    );
  }
  let end = index;
  while (end < query.length && !RESERVED.has(query[end]) && !isWhitespace(query[end])) end += 1;
  const word = query.slice(index, end);
  return { kind: 'word', text: word, raw: word, position };
}

function readQuoted(query: string, start: number): RsqlToken {
  const quote = query[start];
  let text = '';
  let index = start + 1;
  while (index < query.length) {
    const char = query[index];
    if (char === quote) {
      return { kind: 'quoted', text, raw: query.slice(start, index + 1), position: start + 1 };
    }
    if (char === '\\' && index + 1 < query.length) {
      // A backslash makes the next character literal (a quote, another backslash, ...).
      text += query[index + 1];
      index += 2;
      continue;
    }
    text += char;
    index += 1;
  }
  throw new TargetFilterSyntaxError(
    `unterminated quoted value starting at position ${start + 1}; expected a closing ${quote}`,
    start + 1,
  );
}

function readOperator(query: string, start: number): RsqlToken {
  const position = start + 1;
  const rest = query.slice(start);
  const angle = ANGLE_OPERATORS.find(([spelling]) => rest.startsWith(spelling));
  if (angle) return { kind: 'operator', text: angle[1], raw: angle[0], position };
  if (rest.startsWith('==') || rest.startsWith('!=')) {
    return { kind: 'operator', text: rest.slice(0, 2), raw: rest.slice(0, 2), position };
  }
  const named = /^=([A-Za-z]*)=/.exec(rest);
  if (named && named[1] !== '') {
    const text = `=${named[1].toLowerCase()}=`;
    if (isKnownOperator(text)) return { kind: 'operator', text, raw: named[0], position };
    throw new TargetFilterSyntaxError(
      `unknown operator '${named[0]}' at position ${position}; expected one of ${OPERATOR_LIST}`,
      position,
    );
  }
  const shown = /^[=!][A-Za-z]*/.exec(rest)?.[0] ?? rest[0];
  throw new TargetFilterSyntaxError(
    `malformed operator '${shown}' at position ${position}; expected one of ${OPERATOR_LIST}`,
    position,
  );
}

/** How a token is named in error messages. */
export function describeToken(token: RsqlToken): string {
  if (token.kind === 'end') return 'end of query';
  if (token.kind === 'quoted') return `quoted value ${token.raw}`;
  return `'${token.raw}'`;
}
