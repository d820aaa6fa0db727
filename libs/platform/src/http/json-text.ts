const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;

export type JsonTextProblem = { kind: 'too_deep'; message: string } | { kind: 'nul'; message: string };

/**
 * Checks raw JSON text before it is parsed: nesting deeper than `maxDepth` (which would make every
 * later recursive walk, validation or serialization overflow the stack) and an escaped NUL
 * character in any string or key (which Postgres text and jsonb cannot store). One pass, no
 * recursion; malformed JSON is left for the parser to reject.
 */
export function jsonTextProblem(text: string, maxDepth: number): JsonTextProblem | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) {
        if (text.startsWith('u0000', i + 1)) {
          return { kind: 'nul', message: 'request body holds a NUL character (\\u0000) in a string' };
        }
        i++; // the escaped character cannot end the string
      } else if (c === QUOTE) {
        inString = false;
      }
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > maxDepth) {
        return { kind: 'too_deep', message: `request body nests arrays or objects deeper than ${maxDepth} levels` };
      }
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
    }
  }
  return undefined;
}
