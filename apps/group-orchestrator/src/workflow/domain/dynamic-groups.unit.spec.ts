import type { WorkflowEvent } from './group-workflow.events';
import {
  after,
  byGroup,
  counts,
  defined,
  dynamicDefined,
  dynamicGroup,
  figures,
  gid,
  given,
  groupAdded,
  groupFailed,
  groupFinished,
  groupsCompleted,
  groupStarted,
  membersAdded,
  NOW,
  pauseRequested,
  policy,
  resumedEvent,
  rolloutStartedReason,
} from '../testing/workflow-events.builders';
import {
  onActionsSettled,
  onCountsChanged,
  onGroupAdded,
  onMembersAssigned,
  onResumed,
  onRolloutStarted,
  onStopping,
} from './group-workflow';

const resumed = { rolloutId: 1, resumedAt: NOW, resumedBy: 'ops' };
/** A dynamic rollout: static group 1 of 2 targets, then dynamic group 2 of capacity 4. */
const dynamicRollout = dynamicDefined([2], 4);
/** Group 2 running (group 1 reached its success condition) with `members` members. */
const secondRunning = (members: number): WorkflowEvent[] => [
  ...dynamicRollout,
  groupStarted(1, rolloutStartedReason),
  groupStarted(2, byGroup('SUCCESS_CONDITION', 1, figures(2, 1))),
  membersAdded(2, members),
];

describe('group workflow: dynamic groups', () => {
  it('grows a dynamic group by the members assigned to it, whatever the totals at ready said', () => {
    const state = given(dynamicRollout);
    const step = onMembersAssigned(state, counts(), [{ groupId: gid(2), added: 3 }], NOW);
    expect(step).toEqual([membersAdded(2, 3)]);
    expect(after(state, step).groups.map((g) => g.total)).toEqual([2, 3]);
    // Members assigned at creation arrive before the totals at ready, which leave them as counted.
    const [definedEvent, totalsKnown] = dynamicRollout;
    expect(given(definedEvent, membersAdded(2, 3), totalsKnown).groups.map((g) => g.total)).toEqual([2, 3]);
  });

  it('ignores members of static groups: they were sized when the rollout became ready', () => {
    const state = given(dynamicRollout);
    expect(onMembersAssigned(state, counts(), [{ groupId: gid(1), added: 2 }], NOW)).toEqual({
      ignored: 'no member of a dynamic group',
    });
    expect(onMembersAssigned(given(defined([2])), counts(), [{ groupId: gid(1), added: 2 }], NOW)).toEqual({
      ignored: 'no member of a dynamic group',
    });
  });

  it('starts the first dynamic group from the last static group by its success action, as usual', () => {
    const state = given(dynamicRollout, groupStarted(1, rolloutStartedReason));
    expect(onCountsChanged(state, counts({ [gid(1)]: { finished: 1 } }), NOW)).toEqual([
      groupStarted(2, byGroup('SUCCESS_CONDITION', 1, figures(2, 1))),
    ]);
  });

  it('starts an empty dynamic group at the rollout start and keeps it running: it is not full', () => {
    const state = given(dynamicDefined([], 4));
    expect(onRolloutStarted(state, counts(), NOW)).toEqual([groupStarted(1, rolloutStartedReason)]);
  });

  it('measures success against the capacity, not the members so far', () => {
    const state = given(secondRunning(2), groupFinished(1, figures(2, 2)));
    // 1 of 2 members is 50 % of the members but 25 % of the capacity of 4.
    expect(onCountsChanged(state, counts({ [gid(1)]: { finished: 2 }, [gid(2)]: { finished: 1 } }), NOW)).toEqual({
      ignored: 'no group condition changed',
    });
    // 2 of 4: the condition holds, but there is no next group yet.
    expect(onCountsChanged(state, counts({ [gid(1)]: { finished: 2 }, [gid(2)]: { finished: 2 } }), NOW)).toEqual({
      ignored: 'no group condition changed',
    });
  });

  it('evaluates the error condition on the members so far', () => {
    const state = given(secondRunning(2), groupFinished(1, figures(2, 2)));
    const f = figures(2, 0, 2);
    expect(onCountsChanged(state, counts({ [gid(1)]: { finished: 2 }, [gid(2)]: { error: 2 } }), NOW)).toEqual([
      groupFailed(2, f),
      pauseRequested(2, 'ERROR_CONDITION', f),
    ]);
  });

  it('completes a group only when it is full and every action is final, and never completes the rollout', () => {
    const state = given(secondRunning(3), groupFinished(1, figures(2, 2)));
    const final3 = counts({ [gid(1)]: { finished: 2 }, [gid(2)]: { finished: 1, error: 1, cancelled: 1 } });
    expect(onCountsChanged(state, final3, NOW)).toEqual({ ignored: 'no group condition changed' });
    // The last member arrives after its action was counted final (the topics are consumed apart).
    const final4 = counts({ [gid(1)]: { finished: 2 }, [gid(2)]: { finished: 2, error: 1, cancelled: 1 } });
    const full = onMembersAssigned(state, final4, [{ groupId: gid(2), added: 1 }], NOW);
    expect(full).toEqual([membersAdded(2, 1), groupFinished(2, figures(4, 2, 1, 1))]);
    expect(after(state, full).completed).toBe(false);
  });

  it('starts an added group at once when the group before it already reached its success condition', () => {
    const state = given(secondRunning(4), groupFinished(1, figures(2, 2)));
    const c = counts({ [gid(1)]: { finished: 2 }, [gid(2)]: { finished: 2 } });
    expect(onGroupAdded(state, c, dynamicGroup(3, 4), NOW)).toEqual([
      groupAdded(3, 4),
      groupStarted(3, byGroup('SUCCESS_CONDITION', 2, figures(4, 2))),
    ]);
  });

  it('leaves an added group scheduled while the group before it is below its success condition', () => {
    const state = given(secondRunning(4));
    expect(onGroupAdded(state, counts({ [gid(2)]: { finished: 1 } }), dynamicGroup(3, 4), NOW)).toEqual([
      groupAdded(3, 4),
    ]);
  });

  it('starts an added group behind a group that finished before it existed', () => {
    const done = figures(4, 1, 3);
    const lenient = policy({ errorCondition: { condition: 'ERROR_COUNT', expression: 10 } });
    const state = given(
      dynamicDefined([], 4, lenient),
      groupStarted(1, rolloutStartedReason),
      membersAdded(1, 4),
      groupFinished(1, done),
    );
    expect(onGroupAdded(state, counts({ [gid(1)]: { finished: 1, error: 3 } }), dynamicGroup(2, 4), NOW)).toEqual([
      groupAdded(2, 4),
      groupStarted(2, byGroup('GROUP_COMPLETE', 1, done)),
    ]);
  });

  it('starts nothing while paused; the resume starts the added group after an error pause', () => {
    const f = figures(2, 0, 2);
    const state = given(
      secondRunning(2),
      groupFinished(1, figures(2, 2)),
      groupFailed(2, f),
      pauseRequested(2, 'ERROR_CONDITION', f),
    );
    const c = counts({ [gid(1)]: { finished: 2 }, [gid(2)]: { error: 2 } });
    const step = onGroupAdded(state, c, dynamicGroup(3, 4), NOW);
    expect(step).toEqual([groupAdded(3, 4)]);
    expect(onResumed(after(state, step), c, resumed)).toEqual([
      resumedEvent(),
      groupStarted(3, { kind: 'RESUMED', by: 'ops' }),
    ]);
  });

  it('ignores a group added twice, to a static rollout, or while stopping', () => {
    const state = given(secondRunning(4), groupAdded(3, 4));
    expect(onGroupAdded(state, counts(), dynamicGroup(3, 4), NOW)).toEqual({ ignored: 'group 103 was already added' });
    expect(onGroupAdded(given(defined([2])), counts(), dynamicGroup(2, 4), NOW)).toEqual({
      ignored: 'rollout 1 is not dynamic',
    });
  });

  it('completes the groups of a dynamic rollout when it is stopped and its actions settle', () => {
    const state = given(secondRunning(2), groupFinished(1, figures(2, 2)));
    const request = { rolloutId: 1, reason: 'STOPPED' as const, requestedAt: 2_000, requestedBy: 'ops' };
    const stopping = onStopping(state, counts(), request);
    expect(stopping).toEqual([{ type: 'GroupWorkflowStopping.v1', data: request }]);
    const c = counts({ [gid(1)]: { finished: 2 }, [gid(2)]: { finished: 1, cancelled: 1 } });
    const settlement = { rolloutId: 1, reason: 'STOPPED' as const, settledAt: 3_000 };
    expect(onActionsSettled(after(state, stopping), c, settlement)).toEqual([
      { type: 'GroupWorkflowSettled.v1', data: settlement },
      groupFinished(2, figures(2, 1, 0, 1), 3_000),
      groupsCompleted(3_000),
    ]);
    expect(onGroupAdded(after(state, stopping), c, dynamicGroup(3, 4), NOW)).toEqual({
      ignored: 'rollout 1 is stopping: no group is added',
    });
  });
});
