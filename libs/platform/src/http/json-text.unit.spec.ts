import { jsonTextProblem } from './json-text';

const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

describe('jsonTextProblem', () => {
  it.each([
    ['arrays nested 100,000 deep', nested(100_000), 'too_deep'],
    ['objects nested one level too deep', '{"a":'.repeat(33) + '1' + '}'.repeat(33), 'too_deep'],
    ['an escaped NUL in a value', '{"name":"a\\u0000b"}', 'nul'],
    ['an escaped NUL in a key', '{"na\\u0000me":"a"}', 'nul'],
  ])('finds %s', (_case, text, kind) => {
    expect(jsonTextProblem(text, 32)?.kind).toBe(kind);
  });

  it.each([
    ['nesting exactly at the limit', nested(32)],
    ['brackets and quotes inside strings', '{"q":"[[[[{{{{\\"]]]]","r":"\\\\"}'],
    ['an escaped backslash followed by u0000 text', '{"path":"C:\\\\u0000"}'],
    ['other escapes', '{"s":"\\u0001\\n\\t\\"x\\""}'],
    ['many siblings at depth 2', JSON.stringify(Array.from({ length: 10_000 }, (_, i) => [i]))],
  ])('accepts %s', (_case, text) => {
    expect(jsonTextProblem(text, 32)).toBeUndefined();
  });
});
