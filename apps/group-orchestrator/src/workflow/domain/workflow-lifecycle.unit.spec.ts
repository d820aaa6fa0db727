import type { WorkflowEvent } from './group-workflow.events';
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
  resumedEvent,
  rolloutStartedReason,
} from '../testing/workflow-events.builders';
import {
  onActionsSettled,
  onClosed,
  onCountsChanged,
  onNextGroupTriggered,
  onPaused,
  onResumed,
  onRolloutStarted,
  onStopping,
} from './group-workflow';

const STOP_AT = 2_000;
const SETTLE_AT = 3_000;
const resumed = { rolloutId: 1, resumedAt: NOW, resumedBy: 'ops' };
const manualPause = { rolloutId: 1, pausedAt: NOW, pausedBy: 'ops', cause: 'MANUAL' as const };
const trigger = { rolloutId: 1, triggeredAt: STOP_AT, triggeredBy: 'ops' };
const stopRequest = (reason: 'STOPPED' | 'DELETED' = 'STOPPED') => ({
  rolloutId: 1,
  reason,
  requestedAt: STOP_AT,
  requestedBy: 'ops',
});
const stopping = (reason: 'STOPPED' | 'DELETED' = 'STOPPED'): WorkflowEvent => ({
  type: 'GroupWorkflowStopping.v1',
  data: stopRequest(reason),
});
const settlement = (reason: 'STOPPED' | 'DELETED' = 'STOPPED') => ({ rolloutId: 1, reason, settledAt: SETTLE_AT });
const settled = (reason: 'STOPPED' | 'DELETED' = 'STOPPED'): WorkflowEvent => ({
  type: 'GroupWorkflowSettled.v1',
  data: settlement(reason),
});
const runningEvents = [...defined([2, 2, 2]), groupStarted(1, rolloutStartedReason)];
const running = () => given(runningEvents);

describe('group workflow: manual pause and resume', () => {
  it('records a manual pause once; a pause the workflow requested itself is already recorded', () => {
    expect(onPaused(running(), manualPause)).toEqual([manuallyPaused]);
    expect(onPaused(given(runningEvents, manuallyPaused), manualPause)).toEqual({
      ignored: 'rollout 1 is already paused',
    });
    const requested = given(runningEvents, pauseRequested(1, 'ERROR_CONDITION', figures(2, 0, 2)));
    expect(onPaused(requested, { ...manualPause, cause: 'ERROR_CONDITION', groupId: gid(1) })).toEqual({
      ignored: 'rollout 1 is already paused',
    });
  });

  it('a manual resume starts no group at once; the normal cascade runs', () => {
    const paused = given(defined([4, 4]), groupStarted(1, rolloutStartedReason), manuallyPaused);
    const halfDone = counts({ [gid(1)]: { finished: 2 } });
    expect(onCountsChanged(paused, halfDone, NOW)).toEqual({ ignored: 'no group condition changed' });
    expect(onResumed(paused, halfDone, resumed)).toEqual([
      resumedEvent(),
      groupStarted(2, byGroup('SUCCESS_CONDITION', 1, figures(4, 2))),
    ]);
    expect(onResumed(given(defined([4]), groupStarted(1, rolloutStartedReason)), counts(), resumed)).toEqual({
      ignored: 'rollout 1 is not paused',
    });
  });
});

describe('group workflow: triggerNextGroup', () => {
  it('starts the lowest-index scheduled group whatever the conditions', () => {
    expect(onNextGroupTriggered(running(), counts(), trigger)).toEqual([
      groupStarted(2, { kind: 'TRIGGERED', by: 'ops' }, STOP_AT),
    ]);
  });

  it('cascades from a triggered empty group', () => {
    const state = given(defined([2, 0, 2]), groupStarted(1, rolloutStartedReason));
    expect(onNextGroupTriggered(state, counts(), trigger)).toEqual([
      groupStarted(2, { kind: 'TRIGGERED', by: 'ops' }, STOP_AT),
      groupStarted(3, byGroup('SUCCESS_CONDITION', 2, figures(0)), STOP_AT),
      groupFinished(2, figures(0), STOP_AT),
    ]);
  });

  it('is ignored without a scheduled group, and while paused', () => {
    const all = given(
      defined([2, 2]),
      groupStarted(1, rolloutStartedReason),
      groupStarted(2, { kind: 'TRIGGERED', by: 'ops' }),
    );
    expect(onNextGroupTriggered(all, counts(), trigger)).toEqual({ ignored: 'no scheduled group' });
    expect(onNextGroupTriggered(given(runningEvents, manuallyPaused), counts(), trigger)).toEqual({
      ignored: 'rollout 1 is paused',
    });
  });
});

describe('group workflow: stop and delete', () => {
  const stoppedGroups = [groupFinished(2, figures(2), STOP_AT), groupFinished(3, figures(2), STOP_AT)];
  const settledCounts = counts({ [gid(1)]: { finished: 1, cancelled: 1 } });

  it('finishes scheduled groups at once, running groups once the actions settled, then completes', () => {
    const step = onStopping(running(), counts(), stopRequest());
    expect(step).toEqual([stopping(), ...stoppedGroups]);
    const state = after(running(), step);
    expect(onCountsChanged(state, counts({ [gid(1)]: { finished: 2 } }), NOW)).toEqual({
      ignored: 'rollout 1 is stopping: its groups finish once its actions settle',
    });
    expect(onNextGroupTriggered(state, counts(), trigger)).toEqual({ ignored: 'rollout 1 is stopping' });
    expect(onStopping(state, counts(), stopRequest('DELETED'))).toEqual({ ignored: 'rollout 1 is already stopping' });
    expect(onActionsSettled(state, settledCounts, settlement())).toEqual([
      settled(),
      groupFinished(1, figures(2, 1, 0, 1), SETTLE_AT),
      groupsCompleted(SETTLE_AT),
    ]);
  });

  it('completes at the stop when the settling arrived first', () => {
    const step = onActionsSettled(running(), settledCounts, settlement());
    expect(step).toEqual([settled()]);
    const state = after(running(), step);
    // The last cancellations complete group 1, but start nothing: a stop is under way.
    expect(onCountsChanged(state, counts({ [gid(1)]: { cancelled: 2 } }), NOW)).toEqual({
      ignored: 'actions of rollout 1 settled: it is being stopped',
    });
    expect(onActionsSettled(state, settledCounts, settlement())).toEqual({
      ignored: 'actions of rollout 1 already settled',
    });
    expect(onStopping(state, settledCounts, stopRequest())).toEqual([
      stopping(),
      ...stoppedGroups,
      groupFinished(1, figures(2, 1, 0, 1), STOP_AT),
      groupsCompleted(STOP_AT),
    ]);
  });

  it('completes a paused rollout, and leaves failed groups in error', () => {
    const f = figures(2, 0, 2);
    const state = given(runningEvents, groupFailed(1, f), pauseRequested(1, 'ERROR_CONDITION', f), stopping());
    expect(onActionsSettled(state, counts({ [gid(1)]: { error: 2 } }), settlement())).toEqual([
      settled(),
      groupsCompleted(SETTLE_AT),
    ]);
  });

  it('deletes a stopped rollout at once, and a finished one once its actions settle', () => {
    const stopped = given(
      runningEvents,
      stopping(),
      ...stoppedGroups,
      settled(),
      groupFinished(1, figures(2)),
      groupsCompleted(),
    );
    expect(onStopping(stopped, counts(), stopRequest('DELETED'))).toEqual([
      stopping('DELETED'),
      groupsCompleted(STOP_AT),
    ]);
    const finished = given(
      defined([2]),
      groupStarted(1, rolloutStartedReason),
      groupFinished(1, figures(2, 2)),
      groupsCompleted(),
    );
    const step = onStopping(finished, counts(), stopRequest('DELETED'));
    expect(step).toEqual([stopping('DELETED')]);
    expect(onActionsSettled(after(finished, step), counts(), settlement('DELETED'))).toEqual([
      settled('DELETED'),
      groupsCompleted(SETTLE_AT),
    ]);
  });
});

describe('group workflow: closed', () => {
  const closed = (reason: 'STOPPED' | 'REMOVED'): WorkflowEvent => ({
    type: 'GroupWorkflowClosed.v1',
    data: { rolloutId: 1, reason, closedAt: STOP_AT },
  });

  it('closes a rollout stopped before it started, and ignores every later input', () => {
    const ready = given(defined([2]));
    const step = onClosed(ready, { rolloutId: 1, reason: 'STOPPED', closedAt: STOP_AT });
    expect(step).toEqual([closed('STOPPED')]);
    const state = after(ready, step);
    const ignored = { ignored: 'workflow of rollout 1 is closed' };
    expect(onRolloutStarted(state, counts(), NOW)).toEqual(ignored);
    expect(onCountsChanged(state, counts(), NOW)).toEqual(ignored);
    expect(onActionsSettled(state, counts(), settlement())).toEqual(ignored);
    expect(onClosed(state, { rolloutId: 1, reason: 'REMOVED', closedAt: STOP_AT })).toEqual(ignored);
  });

  it('closes a removed rollout; a started rollout stopped after its groups completed stays open (it can be deleted)', () => {
    expect(onClosed(given(defined([2])), { rolloutId: 1, reason: 'REMOVED', closedAt: STOP_AT })).toEqual([
      closed('REMOVED'),
    ]);
    expect(onClosed(running(), { rolloutId: 1, reason: 'STOPPED', closedAt: STOP_AT })).toEqual({
      ignored: 'rollout 1 stopped after its groups completed',
    });
  });
});
