import { optionalInteger, seriesScope } from './progress-parameters';

describe('progress query parameters', () => {
  it('reads group as the rollout, every group, or one group', () => {
    expect(seriesScope(undefined)).toEqual({ kind: 'rollout' });
    expect(seriesScope('all')).toEqual({ kind: 'groups' });
    expect(seriesScope('42')).toEqual({ kind: 'group', groupId: 42 });
    expect(() => seriesScope('two')).toThrow(/group must be an integer of at least 1/);
    expect(() => seriesScope('0')).toThrow(/at least 1/);
  });

  it('takes non-negative integers only', () => {
    expect(optionalInteger('from', '1764640800000')).toBe(1_764_640_800_000);
    expect(optionalInteger('from', undefined)).toBeUndefined();
    expect(() => optionalInteger('to', '-5')).toThrow(/to must be an integer/);
    expect(() => optionalInteger('bucketSeconds', '0', 1)).toThrow(/at least 1/);
  });
});
