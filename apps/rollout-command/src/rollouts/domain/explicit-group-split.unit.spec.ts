import {
  groupOfTarget,
  groupShare,
  planExplicitGroups,
  uncoveredTargets,
  type GroupCut,
  type RemainingTargets,
} from './explicit-group-split';

/** A fleet in memory: each target's id and whether it matches each group's own filter. */
interface FleetTarget {
  id: number;
  matches: boolean[];
}

/** The planning port over an in-memory fleet, applying the same cut rule the SQL applies. */
function inMemory(fleet: FleetTarget[]): RemainingTargets {
  const available = (index: number, earlier: readonly GroupCut[]) =>
    fleet
      .filter((t) => t.matches[index] && groupOfTarget(t.id, t.matches, earlier) === undefined)
      .map((t) => t.id)
      .sort((a, b) => a - b);
  return {
    count: async (index, earlier) => available(index, earlier).length,
    idAt: async (index, earlier, position) => available(index, earlier)[position - 1],
  };
}

/** The rule as SPEC.md states it, group by group with explicit sets: the reference to compare with. */
function fillInOrder(fleet: FleetTarget[], percentages: number[]): number[][] {
  const taken = new Set<number>();
  return percentages.map((percentage, index) => {
    const remaining = fleet.filter((t) => t.matches[index] && !taken.has(t.id)).sort((a, b) => a.id - b.id);
    const members = remaining.slice(0, groupShare(percentage, remaining.length)).map((t) => t.id);
    members.forEach((id) => taken.add(id));
    return members;
  });
}

/** Members per group as the planned cuts assign them. */
const membersOf = (fleet: FleetTarget[], cuts: GroupCut[]): number[][] =>
  cuts.map((_, index) => fleet.filter((t) => groupOfTarget(t.id, t.matches, cuts) === index).map((t) => t.id));

/** Targets 1..n; `filters[g](id)` says whether target id matches group g's own filter. */
const fleetOf = (n: number, filters: ((id: number) => boolean)[]): FleetTarget[] =>
  Array.from({ length: n }, (_, i) => ({ id: i + 1, matches: filters.map((f) => f(i + 1)) }));

const all = () => true;

describe('groupShare', () => {
  it('rounds half up, as hawkBit does', () => {
    expect(groupShare(50, 3)).toBe(2);
    expect(groupShare(20, 16)).toBe(3);
    expect(groupShare(80, 16)).toBe(13);
    expect(groupShare(33.3, 10)).toBe(3);
    expect(groupShare(1, 49)).toBe(0);
    expect(groupShare(1, 50)).toBe(1);
  });

  it('takes everything at 100% and never more than there is', () => {
    expect(groupShare(100, 7)).toBe(7);
    expect(groupShare(100, 0)).toBe(0);
  });
});

describe('planExplicitGroups', () => {
  it('given a filtered first group at 100% and then 20% and the rest, when planned, then the filter goes first and the rest splits 20/80', async () => {
    const canary = (id: number) => id % 5 === 3;
    const fleet = fleetOf(25, [canary, all, all]);

    const cuts = await planExplicitGroups([100, 20, 100], inMemory(fleet));

    expect(cuts.map((c) => c.size)).toEqual([5, 4, 16]);
    const members = membersOf(fleet, cuts);
    expect(members[0]).toEqual([3, 8, 13, 18, 23]);
    expect(members[1]).toEqual([1, 2, 4, 5]);
    expect(members).toEqual(fillInOrder(fleet, [100, 20, 100]));
    expect(uncoveredTargets(25, cuts)).toBe(0);
  });

  it('given two overlapping filters, when planned, then the shared targets go to the first group only', async () => {
    const first = (id: number) => id <= 6;
    const second = (id: number) => id >= 4 && id <= 10;
    const fleet = fleetOf(10, [first, second]);

    const cuts = await planExplicitGroups([100, 100], inMemory(fleet));

    expect(membersOf(fleet, cuts)).toEqual([
      [1, 2, 3, 4, 5, 6],
      [7, 8, 9, 10],
    ]);
  });

  it('given 20% then 80% of the rest, when planned, then the targets left over are reported as uncovered', async () => {
    const fleet = fleetOf(25, [(id) => id % 5 === 3, all, all]);

    const cuts = await planExplicitGroups([100, 20, 80], inMemory(fleet));

    expect(cuts.map((c) => c.size)).toEqual([5, 4, 13]);
    expect(uncoveredTargets(25, cuts)).toBe(3);
  });

  it('given a group whose filter matches only targets taken earlier, when planned, then it is empty and takes none', async () => {
    const fleet = fleetOf(8, [all, (id) => id <= 2, all]);

    const cuts = await planExplicitGroups([50, 100, 100], inMemory(fleet));

    expect(cuts).toEqual([
      { size: 4, lastTargetId: 4 },
      { size: 0, lastTargetId: 0 },
      { size: 4, lastTargetId: null },
    ]);
    expect(membersOf(fleet, cuts)).toEqual([[1, 2, 3, 4], [], [5, 6, 7, 8]]);
  });

  it('given partial groups with interleaved filters, when planned, then the cuts assign exactly what filling in order assigns', async () => {
    const filters = [(id: number) => id % 2 === 0, (id: number) => id % 3 === 0, all, (id: number) => id > 40, all];
    const percentages = [30, 50, 25, 60, 100];
    const fleet = fleetOf(97, filters);

    const cuts = await planExplicitGroups(percentages, inMemory(fleet));

    const expected = fillInOrder(fleet, percentages);
    expect(membersOf(fleet, cuts)).toEqual(expected);
    expect(cuts.map((c) => c.size)).toEqual(expected.map((m) => m.length));
    expect(uncoveredTargets(97, cuts)).toBe(0);
  });
});

describe('groupOfTarget', () => {
  it('puts a target in the first group it matches within the cut, and in none when no group takes it', () => {
    const cuts: GroupCut[] = [
      { size: 2, lastTargetId: 5 },
      { size: 3, lastTargetId: null },
    ];
    expect(groupOfTarget(4, [true, true], cuts)).toBe(0);
    expect(groupOfTarget(6, [true, true], cuts)).toBe(1);
    expect(groupOfTarget(6, [true, false], cuts)).toBeUndefined();
  });
});
