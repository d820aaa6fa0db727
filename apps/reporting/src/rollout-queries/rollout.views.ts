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
 * A rollout as the read model tells it (`fleetwave.internal.v1.RolloutView`; `renderRollout`
 * makes hawkBit's JSON of it). `estimatedCompletionAt` (epoch ms, or null when it is not running
 * or no action has reached a final state lately) comes from the progress buckets.
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
  approvalDecidedBy: r.approvalDecidedBy ?? undefined,
  approvalRemark: r.approvalRemark ?? undefined,
  estimatedCompletionAt: estimatedCompletionAt ?? undefined,
});

/** A deployment group as the read model tells it (`GroupView`; `renderGroup` makes hawkBit's JSON). */
export const toGroupView = (g: RolloutGroupReadModel, counts: Counts) => ({
  id: g.id,
  rolloutId: g.rolloutId,
  name: g.name,
  description: g.description ?? '',
  status: g.status,
  targetPercentage: g.targetPercentage,
  successCondition: g.successCondition,
  successAction: g.successAction,
  errorCondition: g.errorCondition,
  errorAction: g.errorAction,
  totalTargets: g.totalTargets,
  totalTargetsPerStatus: perStatus(g.totalTargets, counts),
  createdAt: g.createdAt,
  lastModifiedAt: g.lastModifiedAt,
});
