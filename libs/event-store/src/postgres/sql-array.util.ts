/**
 * Array parameters as Postgres array literals, for the arrays of tens of thousands of elements a
 * bulk append sends. The driver escapes element by element (two regex replacements, two new
 * strings each); here a test per element finds the usual case, nothing to escape, and the
 * literal is a single join.
 */

const needsEscape = /["\\]/;

/** `{"a","b"}` for `$n::text[]` (or any type read from text, e.g. `::uuid[]`); no nulls. */
export function textArrayLiteral(values: readonly string[]): string {
  if (values.length === 0) return '{}';
  if (!values.some((value) => needsEscape.test(value))) return `{"${values.join('","')}"}`;
  return `{${values.map((value) => `"${value.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

/** `{1,2}` for `$n::int[]`; the values must be finite integers. */
export function integerArrayLiteral(values: readonly number[]): string {
  for (const value of values) {
    if (!Number.isSafeInteger(value)) throw new Error(`not an integer array element: ${value}`);
  }
  return `{${values.join(',')}}`;
}
