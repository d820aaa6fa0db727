import { TargetFilterFieldError, TargetFilterSyntaxError } from '@fleetwave/rsql';

/** Update statuses as stored (lower case) in `targets.update_status`. */
export const UPDATE_STATUSES = ['unknown', 'in_sync', 'pending', 'error', 'registered'] as const;

/**
 * How a field is compared:
 * - `text`: case-insensitive string column;
 * - `map-entry`: one key of a jsonb string map (`attribute.<key>`, `metadata.<key>`), compared like `text`;
 * - `timestamp`: timestamptz column, values are epoch milliseconds;
 * - `update-status`: one of {@link UPDATE_STATUSES};
 * - `tag`: matches when any element of the text[] column matches.
 */
export type TargetField =
  | { readonly kind: 'text' | 'timestamp' | 'update-status' | 'tag'; readonly name: string; readonly column: string }
  | { readonly kind: 'map-entry'; readonly name: string; readonly column: string; readonly key: string };

type PlainField = Extract<TargetField, { kind: 'text' | 'timestamp' | 'update-status' | 'tag' }>;

const plain = (kind: PlainField['kind'], column: string): Omit<PlainField, 'name'> => ({ kind, column });

/**
 * Field names (lower case; users may write any case) and their columns on `targets t`.
 * A Map rather than an object literal, so that `constructor` or `__proto__` are no fields.
 */
const PLAIN_FIELDS: ReadonlyMap<string, Omit<PlainField, 'name'>> = new Map(
  Object.entries({
    id: plain('text', 't.controller_id'),
    controllerid: plain('text', 't.controller_id'),
    name: plain('text', 't.name'),
    description: plain('text', 't.description'),
    createdat: plain('timestamp', 't.created_at'),
    lastmodifiedat: plain('timestamp', 't.last_modified_at'),
    lastcontrollerrequestat: plain('timestamp', 't.last_controller_request_at'),
    updatestatus: plain('update-status', 't.update_status'),
    tag: plain('tag', 't.tags'),
    type: plain('text', 't.target_type'),
    'assignedds.name': plain('text', 't.assigned_ds_name'),
    'assignedds.version': plain('text', 't.assigned_ds_version'),
    'installedds.name': plain('text', 't.installed_ds_name'),
    'installedds.version': plain('text', 't.installed_ds_version'),
  }),
);

const MAP_FIELDS: ReadonlyMap<string, string> = new Map([
  ['attribute', 't.attributes'],
  ['metadata', 't.metadata'],
]);

/** Every field a target filter may use, as listed in error messages. */
export const TARGET_FILTER_FIELDS: readonly string[] = [
  ...PLAIN_FIELDS.keys(),
  ...[...MAP_FIELDS.keys()].map((prefix) => `${prefix}.<key>`),
];

/**
 * Resolves a selector to its column. Field names are case-insensitive; the key of
 * `attribute.<key>` / `metadata.<key>` keeps its case because map keys are case-sensitive.
 */
export function resolveTargetField(selector: string, position: number): TargetField {
  const lower = selector.toLowerCase();
  const plainField = PLAIN_FIELDS.get(lower);
  if (plainField) return { ...plainField, name: lower };
  const dot = selector.indexOf('.');
  const prefix = dot < 0 ? lower : lower.slice(0, dot);
  const mapColumn = MAP_FIELDS.get(prefix);
  if (mapColumn !== undefined) {
    const key = dot < 0 ? '' : selector.slice(dot + 1);
    if (key === '') {
      throw new TargetFilterSyntaxError(
        `field '${selector}' at position ${position} needs a key; expected ${prefix}.<key>`,
        position,
      );
    }
    return { kind: 'map-entry', name: `${prefix}.${key}`, column: mapColumn, key };
  }
  throw new TargetFilterFieldError(
    `unknown field '${selector}' at position ${position}; allowed fields: ${TARGET_FILTER_FIELDS.join(', ')}`,
    position,
  );
}
