import type { GroupMember } from '@fleetwave/contracts';
import { assignChunk, assignedGroupTotals, sliceByGroup } from './membership-chunk';

const targets = (from: number, count: number, idLength = 6): GroupMember[] =>
  Array.from({ length: count }, (_, i) => ({
    targetId: from + i,
    controllerId: `dev-${String(from + i).padStart(idLength, '0')}`,
  }));

describe('assignChunk', () => {
  it('deals targets in order into groups of the given sizes, skipping empty groups', () => {
    const { slices, cursor, used } = assignChunk([2, 0, 3], { groupIndex: 0, takenInGroup: 0 }, targets(1, 5));
    expect(slices).toEqual([
      { groupIndex: 0, members: targets(1, 2) },
      { groupIndex: 2, members: targets(3, 3) },
    ]);
    expect(cursor).toEqual({ groupIndex: 2, takenInGroup: 3 });
    expect(used).toBe(5);
  });

  it('continues a group from the cursor of the previous chunk', () => {
    const first = assignChunk([3, 3], { groupIndex: 0, takenInGroup: 0 }, targets(1, 2));
    const second = assignChunk([3, 3], first.cursor, targets(3, 3));
    expect(second.slices).toEqual([
      { groupIndex: 0, members: targets(3, 1) },
      { groupIndex: 1, members: targets(4, 2) },
    ]);
    expect(second.cursor).toEqual({ groupIndex: 1, takenInGroup: 2 });
  });

  it('leaves out targets beyond the last group', () => {
    const { slices, used } = assignChunk([1, 1], { groupIndex: 0, takenInGroup: 0 }, targets(1, 4));
    expect(slices.flatMap((s) => s.members)).toEqual(targets(1, 2));
    expect(used).toBe(2);
  });

  it('cuts a group share into slices bounded by member count', () => {
    const { slices } = assignChunk([1_000], { groupIndex: 0, takenInGroup: 0 }, targets(1, 1_000), {
      maxMembers: 300,
      maxBytes: 1_000_000,
    });
    expect(slices.map((s) => s.members.length)).toEqual([300, 300, 300, 100]);
  });

  it('cuts by bytes first when controller ids are long, keeping each slice under the bound', () => {
    const limits = { maxMembers: 500, maxBytes: 16_000 };
    const { slices } = assignChunk([500], { groupIndex: 0, takenInGroup: 0 }, targets(1, 500, 200), limits);
    expect(slices.length).toBeGreaterThan(1);
    for (const slice of slices) expect(JSON.stringify(slice.members).length).toBeLessThanOrEqual(limits.maxBytes);
    expect(slices.flatMap((s) => s.members)).toEqual(targets(1, 500, 200));
  });
});

describe('assignedGroupTotals', () => {
  it('is the sizes when every group filled', () => {
    expect(assignedGroupTotals([2, 0, 3], { groupIndex: 2, takenInGroup: 3 })).toEqual([2, 0, 3]);
  });

  it('counts what the stopping group holds and nothing after it', () => {
    expect(assignedGroupTotals([2, 2, 2], { groupIndex: 1, takenInGroup: 1 })).toEqual([2, 1, 0]);
  });
});

describe('sliceByGroup', () => {
  const member = (targetId: number) => ({ targetId, controllerId: `dev-${targetId}` });

  it('given targets in id order with their groups, when sliced, then each group gets its own slices in group order and the unplaced are left out', () => {
    const targets = [
      { member: member(1), groupIndex: 1 },
      { member: member(2), groupIndex: 0 },
      { member: member(3), groupIndex: undefined },
      { member: member(4), groupIndex: 1 },
      { member: member(5), groupIndex: 1 },
      { member: member(6), groupIndex: 0 },
    ];

    const { slices, perGroup } = sliceByGroup(3, targets, { maxMembers: 2, maxBytes: 10_000 });

    expect(perGroup).toEqual([2, 3, 0]);
    expect(slices).toEqual([
      { groupIndex: 0, members: [member(2), member(6)] },
      { groupIndex: 1, members: [member(1), member(4)] },
      { groupIndex: 1, members: [member(5)] },
    ]);
  });
});
