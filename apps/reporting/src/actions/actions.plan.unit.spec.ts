import { planActions } from './actions.plan';
import { created, item, scheduledWith, statusChanged } from './testing/actions-events.fixture';

describe('actions projection plan', () => {
  it('keeps status changes in batch order with what the device said, and the recorded time', () => {
    const plan = planActions([
      scheduledWith(1, 2, [{ actionId: 10, targetId: 100, controllerId: 'd-10' }], 1_000),
      statusChanged({ actionId: 10, rolloutId: 1, groupId: 2, to: 'running', at: 2_000 }, '2026-01-01T00:00:05.000Z'),
      statusChanged({
        actionId: 10,
        rolloutId: 1,
        groupId: 2,
        to: 'error',
        at: 3_000,
        messages: ['disk full'],
        code: 507,
      }),
    ]);
    expect(plan.scheduled).toEqual([
      { actionId: 10, targetId: 100, controllerId: 'd-10', rolloutId: 1, groupId: 2, at: 1_000, reportedAt: 1_000 },
    ]);
    expect(plan.changes).toEqual([
      {
        ord: 0,
        actionId: 10,
        rolloutId: 1,
        groupId: 2,
        targetId: 100,
        controllerId: 'd-10',
        status: 'running',
        messages: [],
        code: null,
        occurredAt: 2_000,
        reportedAt: Date.parse('2026-01-01T00:00:05.000Z'),
      },
      {
        ord: 1,
        actionId: 10,
        rolloutId: 1,
        groupId: 2,
        targetId: 100,
        controllerId: 'd-10',
        status: 'error',
        messages: ['disk full'],
        code: 507,
        occurredAt: 3_000,
        reportedAt: 3_000,
      },
    ]);
  });

  it('takes rollout facts and groups from rollout events, the last name of a rename, and removals', () => {
    const plan = planActions([
      created(5, [50, 51]),
      item('RolloutUpdated.v1', { rolloutId: 5, name: 'first', updatedAt: 1, updatedBy: 'a' }),
      item('RolloutUpdated.v1', { rolloutId: 5, name: 'second', updatedAt: 2, updatedBy: 'a' }),
      item('RolloutGroupAdded.v1', { rolloutId: 5, group: { groupId: 52, name: 'dyn-2' }, addedAt: 3 }),
      item('RolloutRemoved.v1', { rolloutId: 6, removedAt: 4, removedBy: 'a' }),
    ]);
    expect(plan.rollouts).toEqual([
      {
        rolloutId: 5,
        name: 'r-5',
        actionType: 'timeforced',
        weight: 600,
        forceTime: 9_000,
        distributionSetId: 3,
        distributionSetName: 'os',
        distributionSetVersion: '2.0',
        createdBy: 'ann',
      },
    ]);
    expect(plan.groups).toEqual([
      { groupId: 50, rolloutId: 5, name: 'g1' },
      { groupId: 51, rolloutId: 5, name: 'g2' },
      { groupId: 52, rolloutId: 5, name: 'dyn-2' },
    ]);
    expect(plan.renamed).toEqual([{ rolloutId: 5, name: 'second' }]);
    expect(plan.removed).toEqual([6]);
  });

  it('reports a count-only scheduling event and other types as having no effect', () => {
    const countOnly = item('ActionsScheduled.v1', { rolloutId: 1, groupId: 2, count: 5 });
    const other = item('RolloutStarted.v1', { rolloutId: 1, startedAt: 1, startedBy: 'a' });
    const plan = planActions([countOnly, other]);
    expect(plan.ignored).toEqual([countOnly.context.messageId, other.context.messageId]);
    expect(plan.scheduled).toEqual([]);
  });
});
