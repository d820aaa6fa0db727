import { item } from './testing/progress-events.fixture';
import { planDynamicGroups } from './dynamic-groups.plan';

const chunk = (rolloutId: number, groupId: number, size: number) =>
  item('RolloutGroupMembersAssigned.v1', {
    rolloutId,
    groupId,
    chunk: 0,
    members: Array.from({ length: size }, (_, i) => ({ targetId: i, controllerId: `dev-${i}` })),
  });
const ready = (rolloutId: number) => item('RolloutReady.v1', { rolloutId, totalTargets: 0, groups: [] });

describe('dynamic groups plan', () => {
  it('sums members per group, leaving out chunks the same batch ready event counts', () => {
    const before = chunk(1, 11, 4);
    const plan = planDynamicGroups([before, ready(1), chunk(1, 12, 2), chunk(1, 12, 3), chunk(2, 21, 1)]);
    expect(plan.ignored).toEqual([before.context.messageId]);
    expect(plan.growth).toEqual([
      { rolloutId: 1, groupId: 12, added: 5, afterReadyInBatch: true },
      { rolloutId: 2, groupId: 21, added: 1, afterReadyInBatch: false },
    ]);
    expect(plan.added).toEqual([]);
  });

  it('collects the added groups in group order', () => {
    const group = (groupId: number) => ({ groupId, index: groupId % 10 });
    const plan = planDynamicGroups([
      item('RolloutGroupAdded.v1', { rolloutId: 1, group: group(13), addedAt: 5 }),
      item('RolloutGroupAdded.v1', { rolloutId: 1, group: group(12), addedAt: 4 }),
    ]);
    expect(plan.added.map((a) => [a.group.groupId, a.addedAt])).toEqual([
      [12, 4],
      [13, 5],
    ]);
  });
});
