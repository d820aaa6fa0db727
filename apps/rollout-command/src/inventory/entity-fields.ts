import { TargetFilterFieldError, type FieldResolver, type TargetField } from '../targets/target-filter';

type Kind = Exclude<TargetField['kind'], 'map-entry'>;

/**
 * A `q` field resolver for an entity other than targets: lower-case field name → kind and
 * column. Names are matched case-insensitively; an unknown one is a 400 naming its position.
 */
export function entityFields(entity: string, fields: Record<string, [Kind, string]>): FieldResolver {
  const known = new Map(Object.entries(fields));
  return (selector, position) => {
    const name = selector.toLowerCase();
    const field = known.get(name);
    if (field) return { kind: field[0], column: field[1], name };
    throw new TargetFilterFieldError(
      `unknown field '${selector}' at position ${position} for ${entity}; allowed fields: ${[...known.keys()].join(', ')}`,
      position,
    );
  };
}
