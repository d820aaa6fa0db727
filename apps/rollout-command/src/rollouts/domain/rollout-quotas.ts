/** Limits on the size of a rollout (hawkBit's quotas); exceeding one refuses the creation. */
export interface RolloutQuotas {
  maxGroupsPerRollout: number;
  maxTargetsPerGroup: number;
}

/** hawkBit's defaults. */
export const defaultRolloutQuotas: RolloutQuotas = { maxGroupsPerRollout: 500, maxTargetsPerGroup: 20_000 };

/** What a quota violation names, in hawkBit's terms: `requested` `entity` entities for `parent` `parentName`. */
export interface QuotaViolation {
  entity: 'RolloutGroup' | 'Target';
  parent: 'Rollout' | 'RolloutGroup';
  parentName: string;
  requested: number;
  max: number;
}

export function groupCountViolation(
  groupCount: number,
  rolloutName: string,
  quotas: RolloutQuotas,
): QuotaViolation | undefined {
  if (groupCount <= quotas.maxGroupsPerRollout) return undefined;
  return {
    entity: 'RolloutGroup',
    parent: 'Rollout',
    parentName: rolloutName,
    requested: groupCount,
    max: quotas.maxGroupsPerRollout,
  };
}

/** The first group holding more targets than the quota allows. */
export function groupSizeViolation(
  groups: readonly { name: string; size: number }[],
  quotas: RolloutQuotas,
): QuotaViolation | undefined {
  const group = groups.find((g) => g.size > quotas.maxTargetsPerGroup);
  if (!group) return undefined;
  return {
    entity: 'Target',
    parent: 'RolloutGroup',
    parentName: group.name,
    requested: group.size,
    max: quotas.maxTargetsPerGroup,
  };
}

/** hawkBit's wording of an assignment quota violation. */
export const describeQuotaViolation = (v: QuotaViolation): string =>
  `Quota exceeded: Cannot assign ${v.requested} more ${v.entity} entities to ${v.parent} '${v.parentName}'. ` +
  `The maximum is ${v.max}.`;
