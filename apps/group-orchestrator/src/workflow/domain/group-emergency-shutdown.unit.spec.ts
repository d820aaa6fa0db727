import {
  after,
  byGroup,
  counts,
  defined,
  figures,
  gid,
  given,
  groupFailed,
  groupFinished,
  groupsCompleted,
  groupStarted,
  manuallyPaused,
  NOW,
  pauseRequested,
  policy,
  resumedEvent,
  rolloutStartedReason,
} from '../testing/workflow-events.builders';
import { onCountsChanged, onResumed, onRolloutStarted } from './group-workflow';

const resumed = { rolloutId: 1, resumedAt: NOW, resumedBy: 'ops' };
const success = (expression: number) => ({ condition: 'THRESHOLD' as const, expression });

describe('group workflow: error condition (emergency shutdown)', () => {
  it('fails the group and requests a pause with the figures, before any success action', () => {
    // Success (20 %) and error (50 %) both hold: the error wins, nothing starts.
    const state = given(
      defined([10, 10], policy({ successCondition: success(20) })),
      groupStarted(1, rolloutStartedReason),
    );
    const f = figures(10, 3, 6);
    expect(onCountsChanged(state, counts({ [gid(1)]: { finished: 3, error: 6 } }), NOW)).toEqual([
      groupFailed(1, f),
      pauseRequested(1, 'ERROR_CONDITION', f),
    ]);
  });

  it('does not fail at exactly the threshold', () => {
    const state = given(defined([4, 4]), groupStarted(1, rolloutStartedReason));
    expect(onCountsChanged(state, counts({ [gid(1)]: { error: 2 } }), NOW)).toEqual({
      ignored: 'no group condition changed',
    });
  });

  it('fails on ERROR_COUNT above the number of devices', () => {
    const condition = { condition: 'ERROR_COUNT' as const, expression: 1 };
    const state = given(
      defined([10, 10], policy({ errorCondition: condition })),
      groupStarted(1, rolloutStartedReason),
    );
    expect(onCountsChanged(state, counts({ [gid(1)]: { error: 1 } }), NOW)).toEqual({
      ignored: 'no group condition changed',
    });
    const f = figures(10, 0, 2);
    expect(onCountsChanged(state, counts({ [gid(1)]: { error: 2 } }), NOW)).toEqual([
      groupFailed(1, f, condition),
      pauseRequested(1, 'ERROR_CONDITION', f, condition),
    ]);
  });

  it('never fails an empty group: it succeeds and finishes', () => {
    const state = given(defined([0, 2], policy({ errorCondition: { condition: 'THRESHOLD', expression: 0 } })));
    expect(onRolloutStarted(state, counts(), NOW)).toEqual([
      groupStarted(1, rolloutStartedReason),
      groupStarted(2, byGroup('SUCCESS_CONDITION', 1, figures(0))),
      groupFinished(1, figures(0)),
    ]);
  });

  it('lets an earlier group still running pause the rollout; a second failure requests no second pause', () => {
    const state = given(
      defined([10, 10, 10], policy({ successCondition: success(30) })),
      groupStarted(1, rolloutStartedReason),
      groupStarted(2, byGroup('SUCCESS_CONDITION', 1, figures(10, 3), success(30))),
    );
    const f = figures(10, 3, 6);
    expect(
      onCountsChanged(state, counts({ [gid(1)]: { finished: 3, error: 6 }, [gid(2)]: { error: 6 } }), NOW),
    ).toEqual([groupFailed(1, f), pauseRequested(1, 'ERROR_CONDITION', f), groupFailed(2, figures(10, 0, 6))]);
  });

  it('while paused, starts nothing but still finishes and fails running groups', () => {
    const state = given(
      defined([4, 4, 4]),
      groupStarted(1, rolloutStartedReason),
      groupStarted(2, byGroup('SUCCESS_CONDITION', 1, figures(4, 2))),
      manuallyPaused,
    );
    expect(onCountsChanged(state, counts({ [gid(1)]: { finished: 4 }, [gid(2)]: { error: 3 } }), NOW)).toEqual([
      groupFinished(1, figures(4, 4)),
      groupFailed(2, figures(4, 0, 3)),
    ]);
  });

  it('does not complete while paused; resume after the error pause completes a workflow with nothing left', () => {
    const state = given(defined([4]), groupStarted(1, rolloutStartedReason));
    const failing = counts({ [gid(1)]: { error: 3 } });
    const step = onCountsChanged(state, failing, NOW);
    expect(step).toEqual([groupFailed(1, figures(4, 0, 3)), pauseRequested(1, 'ERROR_CONDITION', figures(4, 0, 3))]);
    expect(onResumed(after(state, step), failing, resumed)).toEqual([resumedEvent(), groupsCompleted()]);
  });

  it('resume after an error pause starts the first scheduled group after the failed one at once', () => {
    const f = figures(4, 0, 3);
    const state = given(
      defined([4, 4, 4]),
      groupStarted(1, rolloutStartedReason),
      groupFailed(1, f),
      pauseRequested(1, 'ERROR_CONDITION', f),
    );
    expect(onResumed(state, counts({ [gid(1)]: { error: 3 } }), resumed)).toEqual([
      resumedEvent(),
      groupStarted(2, { kind: 'RESUMED', by: 'ops' }),
    ]);
  });

  it('resume starts past a group that failed while the rollout was paused by hand', () => {
    const state = given(
      defined([4, 4]),
      groupStarted(1, rolloutStartedReason),
      manuallyPaused,
      groupFailed(1, figures(4, 0, 3)),
    );
    expect(onResumed(state, counts({ [gid(1)]: { error: 3 } }), resumed)).toEqual([
      resumedEvent(),
      groupStarted(2, { kind: 'RESUMED', by: 'ops' }),
    ]);
  });
});
