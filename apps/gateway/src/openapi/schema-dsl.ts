/**
 * A few builders for the JSON Schemas (OpenAPI 3.0 dialect) of the API's bodies, so that the
 * entity shapes read like the tables of hawkBit's Management API reference.
 */
export type Schema = Record<string, unknown>;

export const str: Schema = { type: 'string' };
export const int: Schema = { type: 'integer', format: 'int64' };
export const num: Schema = { type: 'number' };
export const bool: Schema = { type: 'boolean' };
/** Epoch milliseconds. */
export const time: Schema = { type: 'integer', format: 'int64', description: 'epoch milliseconds' };

export const oneOf = (...values: string[]): Schema => ({ type: 'string', enum: values });
export const arr = (items: Schema): Schema => ({ type: 'array', items });
export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
export const map = (values: Schema): Schema => ({ type: 'object', additionalProperties: values });

/** An object; `required` names the fields every response carries. Unknown fields are allowed. */
export const obj = (properties: Record<string, Schema>, required: string[] = []): Schema => ({
  type: 'object',
  properties,
  ...(required.length > 0 ? { required } : {}),
});

/** `{ content, total, size }`: a page of a list. */
export const paged = (item: string): Schema =>
  obj({ content: arr(ref(item)), total: int, size: int }, ['content', 'total', 'size']);

const link = obj({ href: str }, ['href']);
/** `_links` with the given relations; `self` is always there. */
export const links = (...relations: string[]): Schema =>
  obj(Object.fromEntries(['self', ...relations].map((r) => [r, link])), ['self']);

/** The audit fields every entity carries. */
export const audit: Record<string, Schema> = {
  createdBy: str,
  createdAt: time,
  lastModifiedBy: str,
  lastModifiedAt: time,
};
