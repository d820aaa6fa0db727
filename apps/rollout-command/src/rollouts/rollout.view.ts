import type { RolloutCreatedV1 } from '@fleetwave/contracts';
import type { PresentRollout } from './domain/rollout.decider';

/**
 * A rollout as the command side can tell it after a write (`fleetwave.internal.v1.RolloutView`
 * without the read model's counts; `renderRollout` makes hawkBit's JSON of it).
 */
export function rolloutView(rollout: PresentRollout, totalTargets: number, lastModified: { at: number; by: string }) {
  const { summary } = rollout;
  return {
    id: rollout.rolloutId,
    name: rollout.name,
    description: rollout.description ?? '',
    status: rollout.status,
    targetFilterQuery: summary.targetFilterQuery,
    distributionSetId: summary.distributionSetId,
    totalTargets,
    type: summary.actionType,
    weight: summary.weight,
    startAt: summary.startAt,
    forcetime: summary.forceTime,
    createdAt: summary.createdAt,
    createdBy: summary.createdBy,
    lastModifiedAt: lastModified.at,
    lastModifiedBy: lastModified.by,
  };
}

/** A rollout just created (or retried): still creating, with the targets its groups will hold. */
export const createdRolloutView = (created: RolloutCreatedV1 & { totalTargets: number }) => ({
  id: created.rolloutId,
  name: created.name,
  description: created.description ?? '',
  status: 'creating',
  targetFilterQuery: created.targetFilterQuery,
  distributionSetId: created.distributionSet.id,
  totalTargets: created.totalTargets,
  type: created.actionType,
  weight: created.weight,
  dynamic: created.dynamic !== undefined,
  startAt: created.startAt,
  forcetime: created.forceTime,
  createdAt: created.createdAt,
  createdBy: created.createdBy,
  lastModifiedAt: created.createdAt,
  lastModifiedBy: created.createdBy,
});
