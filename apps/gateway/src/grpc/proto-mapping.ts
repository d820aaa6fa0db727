/**
 * Between the REST API's JSON and the `rollout.v1` messages. The proto's fields are the REST
 * fields in snake case, which the loader turns back into the same camel-case names, so most of a
 * body passes as it is; what differs is typed here: condition expressions are strings in the
 * proto (hawkBit clients send both) and unset optionals are absent rather than defaulted.
 */

type Json = Record<string, unknown>;

interface ConditionMessage {
  condition: string;
  expression: string;
}

const condition = (value: unknown): ConditionMessage | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  const c = value as { condition?: unknown; expression?: unknown };
  return { condition: String(c.condition ?? ''), expression: String(c.expression ?? '') };
};

const action = (value: unknown): { action: string; expression?: string } | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  const a = value as { action?: unknown; expression?: unknown };
  return { action: String(a.action ?? ''), ...(typeof a.expression === 'string' ? { expression: a.expression } : {}) };
};

const counts = (value: unknown) => {
  const c = (value ?? {}) as Record<string, number | undefined>;
  return {
    running: c.running ?? 0,
    notstarted: c.notstarted ?? 0,
    scheduled: c.scheduled ?? 0,
    cancelled: c.cancelled ?? 0,
    finished: c.finished ?? 0,
    error: c.error ?? 0,
  };
};

/** A REST rollout resource as a `rollout.v1.Rollout`. */
export function toRolloutMessage(rest: Json): Json {
  return {
    id: rest.id,
    name: rest.name,
    description: rest.description ?? '',
    status: rest.status,
    targetFilterQuery: rest.targetFilterQuery ?? '',
    distributionSetId: rest.distributionSetId,
    type: rest.type ?? '',
    weight: rest.weight ?? 0,
    totalTargets: rest.totalTargets ?? 0,
    totalTargetsPerStatus: counts(rest.totalTargetsPerStatus),
    totalGroups: rest.totalGroups ?? 0,
    startAt: rest.startAt ?? undefined,
    forcetime: rest.forcetime ?? undefined,
    createdAt: rest.createdAt ?? 0,
    createdBy: rest.createdBy ?? '',
    lastModifiedAt: rest.lastModifiedAt ?? 0,
    lastModifiedBy: rest.lastModifiedBy ?? '',
    approvalDecidedBy: rest.approvalDecidedBy ?? undefined,
    approvalRemark: rest.approvalRemark ?? undefined,
  };
}

/** A REST deployment group as a `rollout.v1.DeployGroup`. */
export function toGroupMessage(rest: Json): Json {
  return {
    id: rest.id,
    name: rest.name,
    description: rest.description ?? '',
    status: rest.status,
    totalTargets: rest.totalTargets ?? 0,
    totalTargetsPerStatus: counts(rest.totalTargetsPerStatus),
    targetPercentage: rest.targetPercentage ?? 0,
    successCondition: condition(rest.successCondition),
    successAction: action(rest.successAction),
    errorCondition: condition(rest.errorCondition),
    errorAction: action(rest.errorAction),
    createdAt: rest.createdAt ?? 0,
    lastModifiedAt: rest.lastModifiedAt ?? 0,
  };
}

/** A page of the REST API as a proto page of `map`ped items. */
export function toPage(rest: { content?: unknown; total?: unknown; size?: unknown }, map: (item: Json) => Json): Json {
  const content = Array.isArray(rest.content) ? (rest.content as Json[]) : [];
  return { content: content.map(map), total: rest.total ?? content.length, size: rest.size ?? content.length };
}

/**
 * Keeps the fields a message set: proto3 optionals the client left out are absent or null, and
 * the loader's virtual oneof names of optionals (`_remark`) are no fields.
 */
function present(message: Json): Json {
  return Object.fromEntries(
    Object.entries(message).filter(([k, v]) => v !== undefined && v !== null && !k.startsWith('_')),
  );
}

/** A `CreateRolloutRequest` as the REST create body; unset fields take the REST defaults. */
export function toCreateBody(request: Json): Json {
  const groups = Array.isArray(request.groups) ? (request.groups as Json[]) : [];
  return present({
    ...present(request),
    // An empty repeated field is indistinguishable from an absent one: absent, so amountGroups alone is valid.
    groups: groups.length > 0 ? groups.map(present) : undefined,
  });
}

/** REST list parameters from a `ListRequest`. */
export function listQuery(page: Json | undefined): string {
  const params = new URLSearchParams();
  for (const key of ['offset', 'limit', 'sort', 'q']) {
    const value = page?.[key];
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
