/** A module as the assignment rules see it. */
export interface AssignableModule {
  readonly id: number;
  readonly type: string;
}

/** What a set type allows: module type key → its per-set maximum. Undefined: the type is unknown, anything goes. */
export type AllowedModuleTypes = ReadonlyMap<string, number> | undefined;

export type AssignmentOutcome = { ok: true; moduleIds: number[] } | { ok: false; message: string };

/**
 * The modules a set holds after `added` are assigned to it, following hawkBit: every module's
 * type must be one its set type lists; a module of a type allowed once replaces the set's
 * earlier module of that type; beyond a larger maximum the assignment is refused.
 */
export function assignModules(
  setType: string,
  allowed: AllowedModuleTypes,
  current: readonly AssignableModule[],
  added: readonly AssignableModule[],
): AssignmentOutcome {
  const addedIds = new Set(added.map((m) => m.id));
  const fresh = added.filter((m, i) => added.findIndex((o) => o.id === m.id) === i);
  let result = current.filter((m) => !addedIds.has(m.id));
  for (const module of fresh) {
    const max = allowed === undefined ? Number.MAX_SAFE_INTEGER : allowed.get(module.type);
    if (max === undefined) {
      return {
        ok: false,
        message: `software module ${module.id} of type '${module.type}' is not supported by distribution set type '${setType}'`,
      };
    }
    if (max === 1) result = result.filter((m) => m.type !== module.type);
    result = [...result, module];
    const ofType = result.filter((m) => m.type === module.type).length;
    if (ofType > max) {
      return {
        ok: false,
        message: `distribution set type '${setType}' allows at most ${max} modules of type '${module.type}'`,
      };
    }
  }
  return { ok: true, moduleIds: result.map((m) => m.id) };
}
