import { IsNotEmpty, IsString, MaxLength, ValidateBy, ValidateIf, type ValidationOptions } from 'class-validator';

/**
 * Field rules of the data model, shared by device messages and the Management API so that a
 * value accepted at one edge is accepted at every other. Postgres is the reason for most of them:
 * ids and times are `bigint` (a larger or fractional number fails with 22P02/22003 downstream),
 * and `text`/`jsonb` cannot hold a NUL character (22021/22P05).
 */

/** Largest id accepted: ids are Postgres bigints read as JS numbers, exact only up to 2^53 − 1. */
export const MAX_ENTITY_ID = Number.MAX_SAFE_INTEGER;
/** Latest instant accepted as epoch milliseconds (2200-01-01T00:00:00Z); the earliest is 0. */
export const MAX_EPOCH_MILLIS = Date.UTC(2200, 0, 1);
/** Range of a 32-bit signed integer (a device's status `code`). */
export const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 } as const;

/** Maximum string lengths, as hawkBit's entities declare them. */
export const FieldLengths = {
  tenant: 40,
  controllerId: 256,
  name: 128,
  description: 512,
  version: 64,
  type: 64,
  vendor: 256,
  attributeKey: 128,
  attributeValue: 128,
  targetFilterQuery: 1024,
  statusMessage: 512,
  sort: 256,
} as const;

/** Maximum number of attributes one message or request may carry. */
export const MAX_ATTRIBUTES = 100;
/** Maximum number of status messages one action status update may carry. */
export const MAX_STATUS_MESSAGES = 50;

const NUL = '\u0000';
const controllerIdPattern = /^[^\s/\\]+$/;

type Decorator = PropertyDecorator;
const all =
  (...decorators: Decorator[]): Decorator =>
  (target, key) => {
    for (const decorate of decorators) decorate(target, key);
  };

/** Rejects a string holding a NUL character; anything that is not a string is left to other rules. */
export function NoNul(options?: ValidationOptions): Decorator {
  return ValidateBy(
    {
      name: 'noNul',
      validator: {
        validate: (value) => typeof value !== 'string' || !value.includes(NUL),
        defaultMessage: (args) => `${args?.property} must not contain a NUL character`,
      },
    },
    options,
  );
}

/** An integer (a JSON number with no fraction) between `min` and `max`, both included. */
export function IsIntInRange(min: number, max: number, options?: ValidationOptions): Decorator {
  return ValidateBy(
    {
      name: 'isIntInRange',
      constraints: [min, max],
      validator: {
        validate: (value) => Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max,
        defaultMessage: (args) => `${args?.property} must be an integer from ${min} to ${max}`,
      },
    },
    options,
  );
}

/** An entity id: an integer from 1 to {@link MAX_ENTITY_ID}. */
export const IsEntityId = (options?: ValidationOptions): Decorator => IsIntInRange(1, MAX_ENTITY_ID, options);

/** An instant as epoch milliseconds from 0 to {@link MAX_EPOCH_MILLIS}. */
export const IsEpochMillis = (options?: ValidationOptions): Decorator => IsIntInRange(0, MAX_EPOCH_MILLIS, options);

/**
 * A string of at most `maxLength` characters without NUL; `required` also rejects the empty
 * string, `each` applies the rules to every element of an array.
 */
export function BoundedText(maxLength: number, { required = false, each = false } = {}): Decorator {
  const rules = [IsString({ each }), NoNul({ each }), MaxLength(maxLength, { each })];
  return all(...(required ? [...rules, IsNotEmpty({ each })] : rules));
}

/** A controllerId: 1..256 characters, no whitespace, slash, backslash or NUL. */
export function IsControllerId(): Decorator {
  return all(
    BoundedText(FieldLengths.controllerId, { required: true }),
    ValidateBy({
      name: 'isControllerId',
      validator: {
        validate: (value) => typeof value !== 'string' || controllerIdPattern.test(value),
        defaultMessage: (args) => `${args?.property} must not contain whitespace or slashes`,
      },
    }),
  );
}

/**
 * May be left out, but when given must pass the field's other rules; unlike `IsOptional` a
 * `null` is validated (and so rejected), because it would replace the field's default.
 */
export const OptionalNotNull = (): Decorator => ValidateIf((_object, value) => value !== undefined);

/** Why `value` is not a valid attribute map, or undefined when it is. */
export function attributeMapProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be an object of strings';
  const entries = Object.entries(value);
  if (entries.length > MAX_ATTRIBUTES) return `must hold at most ${MAX_ATTRIBUTES} entries`;
  for (const [key, item] of entries) {
    const shown = JSON.stringify(key.slice(0, 40));
    if (key.length === 0 || key.length > FieldLengths.attributeKey) {
      return `key ${shown} must have 1 to ${FieldLengths.attributeKey} characters`;
    }
    if (key.includes(NUL)) return `key ${shown} must not contain a NUL character`;
    if (typeof item !== 'string') return `value of ${shown} must be a string`;
    if (item.length > FieldLengths.attributeValue) {
      return `value of ${shown} must have at most ${FieldLengths.attributeValue} characters`;
    }
    if (item.includes(NUL)) return `value of ${shown} must not contain a NUL character`;
  }
  return undefined;
}

/** Target attributes: at most {@link MAX_ATTRIBUTES} string entries with bounded, NUL-free keys and values. */
export function IsAttributeMap(options?: ValidationOptions): Decorator {
  return ValidateBy(
    {
      name: 'isAttributeMap',
      validator: {
        validate: (value) => attributeMapProblem(value) === undefined,
        defaultMessage: (args) => `${args?.property} ${attributeMapProblem(args?.value)}`,
      },
    },
    options,
  );
}

/** True when `value` nests objects or arrays deeper than `limit`; iterative, so any depth is safe. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth + 1 > limit) return true;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return false;
}
