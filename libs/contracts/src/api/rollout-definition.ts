import type { CreateRolloutDto } from './create-rollout.dto';

/**
 * A validated create body, as plain data: what the gateway sends rollout-command
 * (`fleetwave.internal.v1.RolloutDefinition`) and what the create command decides on.
 */
export type RolloutDefinition = CreateRolloutDto;

type Json = Record<string, unknown>;

/** A decoded message's fields that are set (an unset optional may decode as absent or null). */
function fieldsOf(message: Json): Json {
  return Object.fromEntries(Object.entries(message).filter(([, v]) => v !== undefined && v !== null));
}

/** Nested messages of a definition, each with only its fields. */
const nested = ['successCondition', 'successAction', 'errorCondition', 'errorAction', 'dynamicGroupTemplate'];

function withNestedFields(message: Json): Json {
  const fields = fieldsOf(message);
  for (const key of nested) {
    if (typeof fields[key] === 'object') fields[key] = fieldsOf(fields[key] as Json);
  }
  return fields;
}

/**
 * A validated body as the internal message. The message's fields are the body's, so this is the
 * body itself, with no groups as an empty list (a repeated field cannot be absent).
 */
export function toDefinitionMessage(definition: RolloutDefinition): Json {
  return { ...definition, groups: definition.groups ?? [] } as unknown as Json;
}

/** The internal message back as the definition the gateway validated ({@link toDefinitionMessage}'s inverse). */
export function fromDefinitionMessage(message: Json): RolloutDefinition {
  const fields = withNestedFields(message);
  const groups = Array.isArray(message.groups) ? (message.groups as Json[]).map(withNestedFields) : [];
  return { ...fields, groups: groups.length > 0 ? groups : undefined } as unknown as RolloutDefinition;
}
