import type { GroupActionCounts, RolloutGroupReadModel, RolloutReadModel } from './read-model.entities';

export type Counts = Pick<GroupActionCounts, 'scheduled' | 'running' | 'finished' | 'error' | 'cancelled'>;

export const noCounts: Counts = { scheduled: 0, running: 0, finished: 0, error: 0, cancelled: 0 };

/** Adds up group counts (a rollout's totals are the sum over its groups). */
export const sumCounts = (all: Counts[]): Counts =>
  all.reduce(
    (sum, c) => ({
      scheduled: sum.scheduled + c.scheduled,
      running: sum.running + c.running,
      finished: sum.finished + c.finished,
      error: sum.error + c.error,
      cancelled: sum.cancelled + c.cancelled,
    }),
    noCounts,
  );

/** `totalTargetsPerStatus`: notstarted = total − actions. */
export function perStatus(totalTargets: number, c: Counts) {
  const actions = c.scheduled + c.running + c.finished + c.error + c.cancelled;
  return {
    running: c.running,
    notstarted: Math.max(0, totalTargets - actions),
    scheduled: c.scheduled,
    cancelled: c.cancelled,
    finished: c.finished,
    error: c.error,
  };
}

/**
 * A rollout as the Management API shows it; `estimatedCompletionAt` (epoch ms, or null when it is
 * not running or no action has reached a final state lately) comes from the progress buckets.
 */
export const toRolloutView = (r: RolloutReadModel, counts: Counts, estimatedCompletionAt: number | null = null) => ({
  id: r.id,
  name: r.name,
  description: r.description ?? '',
  status: r.status,
  targetFilterQuery: r.targetFilterQuery,
  distributionSetId: r.distributionSetId,
  type: r.actionType,
  weight: r.weight,
  startAt: r.startAt ?? undefined,
  forcetime: r.forceTime ?? undefined,
  totalGroups: r.totalGroups,
  totalTargets: r.totalTargets,
  totalTargetsPerStatus: perStatus(r.totalTargets, counts),
  createdAt: r.createdAt,
  createdBy: r.createdBy,
  lastModifiedAt: r.lastModifiedAt,
  lastModifiedBy: r.lastModifiedBy,
  // hawkBit's soft-delete flag; a removed rollout is not in the read model at all.
  deleted: r.status === 'deleted',
  approvalDecidedBy: r.approvalDecidedBy ?? undefined,
  // hawkBit 1.1.0's Management API spells the decider's field so; both carry the same value.
  approveDecidedBy: r.approvalDecidedBy ?? undefined,
  approvalRemark: r.approvalRemark ?? undefined,
  estimatedCompletionAt,
  _links: {
    self: { href: `/rest/v1/rollouts/${r.id}` },
    groups: { href: `/rest/v1/rollouts/${r.id}/deploygroups` },
    distributionset: { href: `/rest/v1/distributionsets/${r.distributionSetId}` },
  },
});

/** hawkBit writes a condition's expression as a string ("50"); the events hold the number. */
const asHawkbitCondition = (stored: unknown) => {
  const c = stored as { condition: string; expression: number | string };
  return { condition: c.condition, expression: String(c.expression) };
};

export const toGroupView = (g: RolloutGroupReadModel, counts: Counts) => ({
  id: g.id,
  name: g.name,
  description: g.description ?? '',
  status: g.status,
  targetPercentage: g.targetPercentage,
  successCondition: asHawkbitCondition(g.successCondition),
  successAction: g.successAction,
  errorCondition: asHawkbitCondition(g.errorCondition),
  errorAction: g.errorAction,
  totalTargets: g.totalTargets,
  totalTargetsPerStatus: perStatus(g.totalTargets, counts),
  createdAt: g.createdAt,
  lastModifiedAt: g.lastModifiedAt,
  _links: { self: { href: `/rest/v1/rollouts/${g.rolloutId}/deploygroups/${g.id}` } },
});
