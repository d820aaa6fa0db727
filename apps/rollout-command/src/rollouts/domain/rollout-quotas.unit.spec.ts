import { describeQuotaViolation, groupCountViolation, groupSizeViolation } from './rollout-quotas';

const quotas = { maxGroupsPerRollout: 3, maxTargetsPerGroup: 10 };

describe('rollout quotas', () => {
  it('allows a rollout at the group quota and refuses one above it', () => {
    expect(groupCountViolation(3, 'r', quotas)).toBeUndefined();
    expect(groupCountViolation(4, 'r', quotas)).toEqual({
      entity: 'RolloutGroup',
      parent: 'Rollout',
      parentName: 'r',
      requested: 4,
      max: 3,
    });
  });

  it('names the first group above the targets-per-group quota', () => {
    const groups = [
      { name: 'a', size: 10 },
      { name: 'b', size: 11 },
      { name: 'c', size: 12 },
    ];
    expect(groupSizeViolation(groups.slice(0, 1), quotas)).toBeUndefined();
    const violation = groupSizeViolation(groups, quotas);
    expect(violation).toMatchObject({ entity: 'Target', parentName: 'b', requested: 11, max: 10 });
    expect(describeQuotaViolation(violation!)).toBe(
      "Quota exceeded: Cannot assign 11 more Target entities to RolloutGroup 'b'. The maximum is 10.",
    );
  });
});
