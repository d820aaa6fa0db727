/**
 * hawkBit's JSON of rollouts and deployment groups, from the views the services tell
 * (`fleetwave.internal.v1.RolloutView` and `GroupView`, or the same data in-process). The one
 * place the REST shape of a rollout is written.
 */

type Json = Record<string, unknown>;

const rolloutHref = (id: unknown) => `/rest/v1/rollouts/${String(id)}`;

/** Fields of a rollout both sides tell, in the order hawkBit writes them. */
const commonFields = [
  'id',
  'name',
  'description',
  'status',
  'targetFilterQuery',
  'distributionSetId',
  'type',
  'weight',
  'startAt',
  'forcetime',
] as const;

const pick = (view: Json, keys: readonly string[]): Json =>
  Object.fromEntries(keys.filter((k) => view[k] !== undefined && view[k] !== null).map((k) => [k, view[k]]));

/**
 * A rollout as the Management API shows it. A view with per-status counts is the read model's
 * (a query): it has the groups and distribution set links, hawkBit's `deleted` flag and both
 * spellings of the approval's decider. One without is what the command side decided (a create,
 * retry or update answer), as far as it can tell.
 */
export function renderRollout(view: Json): Json {
  const self = { self: { href: rolloutHref(view.id) } };
  if (view.totalTargetsPerStatus === undefined || view.totalTargetsPerStatus === null) {
    return {
      ...pick(view, [...commonFields, 'totalTargets', 'dynamic']),
      description: view.description ?? '',
      ...pick(view, ['createdAt', 'createdBy', 'lastModifiedAt', 'lastModifiedBy']),
      _links: self,
    };
  }
  return {
    ...pick(view, commonFields),
    description: view.description ?? '',
    ...pick(view, ['totalGroups', 'totalTargets', 'totalTargetsPerStatus']),
    ...pick(view, ['createdAt', 'createdBy', 'lastModifiedAt', 'lastModifiedBy']),
    // hawkBit's soft-delete flag; a removed rollout is not in the read model at all.
    deleted: view.status === 'deleted',
    ...pick(view, ['approvalDecidedBy']),
    // hawkBit 1.1.0's Management API spells the decider's field so; both carry the same value.
    ...(view.approvalDecidedBy ? { approveDecidedBy: view.approvalDecidedBy } : {}),
    ...pick(view, ['approvalRemark']),
    estimatedCompletionAt: view.estimatedCompletionAt ?? null,
    _links: {
      ...self,
      groups: { href: `${rolloutHref(view.id)}/deploygroups` },
      distributionset: { href: `/rest/v1/distributionsets/${String(view.distributionSetId)}` },
    },
  };
}

/** hawkBit writes a condition's expression as a string ("50"); the views hold the number. */
const condition = (stored: unknown) => {
  const c = (stored ?? {}) as { condition?: unknown; expression?: unknown };
  return { condition: c.condition, expression: String(c.expression ?? 0) };
};

const action = (stored: unknown) => {
  const a = (stored ?? {}) as { action?: unknown; expression?: unknown };
  return {
    action: a.action,
    ...(a.expression !== undefined && a.expression !== null ? { expression: a.expression } : {}),
  };
};

/** A deployment group as the Management API shows it. */
export function renderGroup(view: Json): Json {
  return {
    id: view.id,
    name: view.name,
    description: view.description ?? '',
    status: view.status,
    targetPercentage: view.targetPercentage,
    successCondition: condition(view.successCondition),
    successAction: action(view.successAction),
    errorCondition: condition(view.errorCondition),
    errorAction: action(view.errorAction),
    totalTargets: view.totalTargets ?? 0,
    totalTargetsPerStatus: view.totalTargetsPerStatus,
    createdAt: view.createdAt,
    lastModifiedAt: view.lastModifiedAt,
    _links: { self: { href: `${rolloutHref(view.rolloutId)}/deploygroups/${String(view.id)}` } },
  };
}
