import type { PresentRollout } from './domain/rollout.decider';

/** hawkBit's rollout body as the command side can tell it (reporting has the full one). */
export function rolloutView(
  rollout: PresentRollout,
  totalTargets: number,
  lastModified: { at: number; by: string },
): Record<string, unknown> {
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
    _links: { self: { href: `/rest/v1/rollouts/${rollout.rolloutId}` } },
  };
}
