import {
  after,
  byGroup,
  counts,
  defined,
  figures,
  gid,
  given,
  groupFinished,
  groupsCompleted,
  groupStarted,
  NOW,
  pauseRequested,
  policy,
  resumedEvent,
  rolloutStartedReason,
} from '../testing/workflow-events.builders';
import { onCountsChanged, onResumed, onRolloutStarted } from './group-workflow';

const pauseOnSuccess = policy({ successAction: { action: 'PAUSE' } });

describe('group workflow: start and success', () => {
  it('starts only the first group when the rollout starts', () => {
    const state = given(defined([2, 2, 2]));
    expect(onRolloutStarted(state, counts(), NOW)).toEqual([groupStarted(1, rolloutStartedReason)]);
  });

  it('starts the next group once the success threshold is reached (≥), keeping the first running', () => {
    const state = given(defined([4, 4]), groupStarted(1, rolloutStartedReason));
    expect(onCountsChanged(state, counts({ [gid(1)]: { finished: 1 } }), NOW)).toEqual({
      ignored: 'no group condition changed',
    });
    expect(onCountsChanged(state, counts({ [gid(1)]: { finished: 2 } }), NOW)).toEqual([
      groupStarted(2, byGroup('SUCCESS_CONDITION', 1, figures(4, 2))),
    ]);
  });

  it('keeps cancelled actions in the denominator; a complete group runs its success action and finishes', () => {
    const state = given(defined([4, 4]), groupStarted(1, rolloutStartedReason));
    expect(onCountsChanged(state, counts({ [gid(1)]: { finished: 1, cancelled: 2 } }), NOW)).toEqual({
      ignored: 'no group condition changed',
    });
    expect(onCountsChanged(state, counts({ [gid(1)]: { finished: 1, cancelled: 3 } }), NOW)).toEqual([
      groupStarted(2, byGroup('GROUP_COMPLETE', 1, figures(4, 1, 0, 3))),
      groupFinished(1, figures(4, 1, 0, 3)),
    ]);
  });

  it('finishes a complete last group whose conditions did not hold, then completes the groups', () => {
    const state = given(defined([2]), groupStarted(1, rolloutStartedReason));
    expect(onCountsChanged(state, counts({ [gid(1)]: { error: 1, cancelled: 1 } }), NOW)).toEqual([
      groupFinished(1, figures(2, 0, 1, 1)),
      groupsCompleted(),
    ]);
  });

  it('cascades through empty groups at once (3 targets in 5 groups: 1, 1, 0, 1, 0)', () => {
    const state = given(defined([1, 1, 0, 1, 0]), groupStarted(1, rolloutStartedReason));
    const one = figures(1, 1);
    const step = onCountsChanged(state, counts({ [gid(1)]: { finished: 1 }, [gid(2)]: { finished: 1 } }), NOW);
    expect(step).toEqual([
      groupStarted(2, byGroup('SUCCESS_CONDITION', 1, one)),
      groupFinished(1, one),
      groupStarted(3, byGroup('SUCCESS_CONDITION', 2, one)),
      groupFinished(2, one),
      groupStarted(4, byGroup('SUCCESS_CONDITION', 3, figures(0))),
      groupFinished(3, figures(0)),
    ]);
    const later = after(state, step);
    expect(onCountsChanged(later, counts({ [gid(4)]: { finished: 1 } }), NOW)).toEqual([
      groupStarted(5, byGroup('SUCCESS_CONDITION', 4, one)),
      groupFinished(4, one),
      groupFinished(5, figures(0)),
      groupsCompleted(),
    ]);
  });

  it('starts one group after another with a 0 % success threshold', () => {
    const zero = { condition: 'THRESHOLD' as const, expression: 0 };
    const state = given(defined([2, 2, 2], policy({ successCondition: zero })));
    expect(onRolloutStarted(state, counts(), NOW)).toEqual([
      groupStarted(1, rolloutStartedReason),
      groupStarted(2, byGroup('SUCCESS_CONDITION', 1, figures(2), zero)),
      groupStarted(3, byGroup('SUCCESS_CONDITION', 2, figures(2), zero)),
    ]);
  });

  it('counts downloaded actions as finished for a downloadonly rollout only', () => {
    const downloadOnly = given(defined([2, 2], policy(), 'downloadonly'), groupStarted(1, rolloutStartedReason));
    expect(onCountsChanged(downloadOnly, counts({ [gid(1)]: { downloaded: 1 } }), NOW)).toEqual([
      groupStarted(2, byGroup('SUCCESS_CONDITION', 1, figures(2, 1))),
    ]);
    expect(onCountsChanged(downloadOnly, counts({ [gid(1)]: { downloaded: 1, finished: 1 } }), NOW)).toEqual([
      groupStarted(2, byGroup('SUCCESS_CONDITION', 1, figures(2, 2))),
      groupFinished(1, figures(2, 2)),
    ]);
    const forced = given(defined([2, 2]), groupStarted(1, rolloutStartedReason));
    expect(onCountsChanged(forced, counts({ [gid(1)]: { downloaded: 1 } }), NOW)).toEqual({
      ignored: 'no group condition changed',
    });
  });

  it('completes a rollout with no groups at once and ignores a second start', () => {
    expect(onRolloutStarted(given(defined([])), counts(), NOW)).toEqual([groupsCompleted()]);
    const started = given(defined([1]), groupStarted(1, rolloutStartedReason));
    expect(onRolloutStarted(started, counts(), NOW)).toEqual({ ignored: 'rollout 1 was already started' });
  });

  it('ignores counts of a workflow that was never defined', () => {
    expect(onCountsChanged(given(), counts(), NOW)).toEqual({ ignored: 'rollout 1 has no group workflow' });
  });
});

describe('group workflow: PAUSE success action', () => {
  it('requests a pause once the success condition holds, with its figures, and only once', () => {
    const state = given(defined([2, 2], pauseOnSuccess), groupStarted(1, rolloutStartedReason));
    const step = onCountsChanged(state, counts({ [gid(1)]: { finished: 1 } }), NOW);
    expect(step).toEqual([pauseRequested(1, 'SUCCESS_ACTION', figures(2, 1))]);
    // Paused: the group still finishes; nothing starts and the groups do not complete.
    expect(onCountsChanged(after(state, step), counts({ [gid(1)]: { finished: 2 } }), NOW)).toEqual([
      groupFinished(1, figures(2, 2)),
    ]);
  });

  it('resume starts the next group at once and does not pause again', () => {
    const state = given(
      defined([2, 2], pauseOnSuccess),
      groupStarted(1, rolloutStartedReason),
      pauseRequested(1, 'SUCCESS_ACTION', figures(2, 1)),
    );
    const resumed = { rolloutId: 1, resumedAt: NOW, resumedBy: 'ops' };
    expect(onResumed(state, counts({ [gid(1)]: { finished: 1 } }), resumed)).toEqual([
      resumedEvent(),
      groupStarted(2, { kind: 'RESUMED', by: 'ops' }),
    ]);
  });

  it('does not pause after the last group', () => {
    const state = given(defined([2], pauseOnSuccess), groupStarted(1, rolloutStartedReason));
    expect(onCountsChanged(state, counts({ [gid(1)]: { finished: 1 } }), NOW)).toEqual({
      ignored: 'no group condition changed',
    });
    expect(onCountsChanged(state, counts({ [gid(1)]: { finished: 2 } }), NOW)).toEqual([
      groupFinished(1, figures(2, 2)),
      groupsCompleted(),
    ]);
  });
});
