import { readRolloutQuotas } from './rollout-quotas.config';

describe('readRolloutQuotas', () => {
  it("takes hawkBit's defaults when nothing is set", () => {
    expect(readRolloutQuotas({})).toEqual({ maxGroupsPerRollout: 500, maxTargetsPerGroup: 20_000 });
  });

  it('takes both quotas from the environment', () => {
    expect(readRolloutQuotas({ ROLLOUT_MAX_GROUPS: '1000', ROLLOUT_MAX_TARGETS_PER_GROUP: ' 250000 ' })).toEqual({
      maxGroupsPerRollout: 1000,
      maxTargetsPerGroup: 250_000,
    });
  });

  it.each([
    ['ROLLOUT_MAX_GROUPS', '0'],
    ['ROLLOUT_MAX_GROUPS', '-1'],
    ['ROLLOUT_MAX_GROUPS', '10001'],
    ['ROLLOUT_MAX_GROUPS', '1.5'],
    ['ROLLOUT_MAX_TARGETS_PER_GROUP', 'many'],
    ['ROLLOUT_MAX_TARGETS_PER_GROUP', '1e6'],
  ])('refuses %s=%s at start-up', (name, value) => {
    expect(() => readRolloutQuotas({ [name]: value })).toThrow(name);
  });
});
