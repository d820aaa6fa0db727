import { autoSplitGroupSizes } from './group-split';

describe('autoSplitGroupSizes', () => {
  it('splits 3 targets over 5 groups as 1, 1, 0, 1, 0', () => {
    expect(autoSplitGroupSizes(3, 5)).toEqual([1, 1, 0, 1, 0]);
  });

  it('splits evenly when it can and gives the last group the rest', () => {
    expect(autoSplitGroupSizes(10, 3)).toEqual([3, 4, 3]);
    expect(autoSplitGroupSizes(1000, 3)).toEqual([333, 334, 333]);
  });

  it('always assigns every target exactly once', () => {
    for (const [total, groups] of [
      [0, 4],
      [7, 7],
      [1, 10],
      [999_999, 17],
    ]) {
      const sizes = autoSplitGroupSizes(total, groups);
      expect(sizes).toHaveLength(groups);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(total);
      expect(Math.min(...sizes)).toBeGreaterThanOrEqual(0);
    }
  });
});
