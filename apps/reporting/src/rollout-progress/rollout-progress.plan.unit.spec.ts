import type { ActionStatus } from '@fleetwave/contracts';
import type { BatchItem } from '@fleetwave/messaging';
import type { Envelope } from '@fleetwave/service-kit';
import { planProgress, rolloutsNeedingActionType } from './rollout-progress.plan';

let seq = 0;
const item = (type: string, data: object, metadata?: Record<string, unknown>): BatchItem<Envelope> => {
  const messageId = `m-${++seq}`;
  return {
    message: { type, data, metadata },
    context: { topic: 't', partition: 0, offset: String(seq), key: null, headers: {}, messageId },
  };
};
const changed = (rolloutId: number, groupId: number, from: ActionStatus, to: ActionStatus) =>
  item('ActionStatusChanged.v1', {
    actionId: ++seq,
    rolloutId,
    groupId,
    targetId: 1,
    controllerId: 'c',
    from,
    to,
    at: 1,
  });

describe('planning a batch of progress events', () => {
  it('nets the status changes and schedules of each group into one row, sorted by group id', () => {
    const plan = planProgress(
      [
        item('ActionsScheduled.v1', { rolloutId: 1, groupId: 12, count: 3 }),
        item('ActionsScheduled.v1', { rolloutId: 1, groupId: 11, count: 2 }),
        changed(1, 11, 'scheduled', 'running'),
        changed(1, 11, 'running', 'finished'),
        changed(1, 12, 'scheduled', 'running'),
        changed(1, 12, 'scheduled', 'canceled'),
      ],
      new Map(),
      0,
    );
    expect(plan.groups.map((g) => [g.groupId, g.deltas])).toEqual([
      [11, { scheduled: 1, running: 0, finished: 1, error: 0, cancelled: 0 }],
      [12, { scheduled: 1, running: 1, finished: 0, error: 0, cancelled: 1 }],
    ]);
  });

  it('reports a change within one bucket and an unprojected type as ignored', () => {
    const within = changed(1, 11, 'running', 'retrieved');
    const other = item('RolloutGroupsCompleted.v1', { rolloutId: 1, completedAt: 1 });
    const plan = planProgress([within, other], new Map(), 0);
    expect(plan.ignored).toEqual([within.context.messageId, other.context.messageId]);
    expect(plan.groups).toEqual([]);
  });

  it('buckets downloaded by the action type it is given', () => {
    const items = [changed(1, 11, 'running', 'downloaded'), changed(2, 21, 'running', 'downloaded')];
    expect(rolloutsNeedingActionType(items)).toEqual([1, 2]);
    const plan = planProgress(items, new Map([[1, 'downloadonly']]), 0);
    expect(plan.groups.map((g) => [g.groupId, g.deltas.running, g.deltas.finished])).toEqual([[11, -1, 1]]);
    expect(plan.ignored).toEqual([items[1].context.messageId]);
  });

  it('keeps the first value of every lifecycle fact', () => {
    const plan = planProgress(
      [
        item('RolloutReady.v1', { rolloutId: 1, totalTargets: 5, groups: [{ groupId: 11, totalTargets: 5 }] }),
        item('RolloutStarted.v1', { rolloutId: 1, startedAt: 10, startedBy: 'u' }),
        item('RolloutStarted.v1', { rolloutId: 1, startedAt: 20, startedBy: 'u' }),
        item('RolloutGroupFinished.v1', { rolloutId: 1, groupId: 11, index: 1, finishedAt: 30 }),
        item('RolloutGroupFinished.v1', { rolloutId: 1, groupId: 11, index: 1, finishedAt: 40 }),
      ],
      new Map(),
      7,
    );
    expect(plan.rollouts).toEqual([
      {
        rolloutId: 1,
        totalTargets: 5,
        readyAt: 7,
        startedAt: 10,
        finishedAt: null,
        state: 'running',
        modifiedAt: 20,
        modifiedBy: 'u',
        terminalAt: null,
        terminalBy: null,
        approvalDecidedBy: null,
        approvalRemark: null,
        name: null,
        description: null,
      },
    ]);
    expect(plan.groupTotals).toEqual([{ groupId: 11, totalTargets: 5 }]);
    expect(plan.groups.map((g) => [g.groupId, g.startedAt, g.finishedAt])).toEqual([[11, null, 30]]);
  });
});

describe('planning the lifecycle of a rollout', () => {
  const plan = (items: BatchItem<Envelope>[]) => planProgress(items, new Map(), 7);

  it('takes the state, time and actor of the last lifecycle event, in batch order', () => {
    const { rollouts } = plan([
      item('RolloutStarted.v1', { rolloutId: 1, startedAt: 10, startedBy: 'ann' }),
      item('RolloutPaused.v1', { rolloutId: 1, pausedAt: 20, pausedBy: 'bob', cause: 'MANUAL' }),
      item('RolloutResumed.v1', { rolloutId: 1, resumedAt: 30, resumedBy: 'cy' }),
      item('RolloutPaused.v1', {
        rolloutId: 1,
        pausedAt: 40,
        pausedBy: 'group-orchestrator',
        cause: 'ERROR_CONDITION',
      }),
      item('RolloutNextGroupTriggered.v1', { rolloutId: 2, triggeredAt: 50, triggeredBy: 'dee' }),
    ]);
    expect(rollouts.map((r) => [r.rolloutId, r.state, r.modifiedAt, r.modifiedBy, r.startedAt])).toEqual([
      [1, 'paused', 40, 'group-orchestrator', 10],
      // A triggered group moves lastModified only.
      [2, null, 50, 'dee', null],
    ]);
  });

  it('keeps a terminal event apart from the last modification, with the actor of its envelope', () => {
    const { rollouts } = plan([
      item('RolloutStopping.v1', { rolloutId: 1, requestedAt: 10, requestedBy: 'ann' }),
      item('RolloutStopped.v1', { rolloutId: 1, stoppedAt: 20 }, { actor: 'rollout-command' }),
      item('RolloutFinished.v1', { rolloutId: 2, finishedAt: 30 }),
      item('RolloutDeleting.v1', { rolloutId: 2, requestedAt: 40, requestedBy: 'bob' }),
    ]);
    expect(rollouts.map((r) => [r.rolloutId, r.state, r.modifiedAt, r.modifiedBy, r.terminalAt, r.terminalBy])).toEqual(
      [
        [1, 'stopped', 10, 'ann', 20, 'rollout-command'],
        [2, 'deleting', 40, 'bob', 30, null],
      ],
    );
    expect(rollouts[1].finishedAt).toBe(30);
  });

  it('records the approval decision and its remark, and the updated name', () => {
    const { rollouts } = plan([
      item('RolloutReady.v1', { rolloutId: 1, totalTargets: 2, groups: [] }),
      item('RolloutApprovalRequested.v1', { rolloutId: 1, requestedAt: 5 }, { actor: 'rollout-command' }),
      item('RolloutDenied.v1', { rolloutId: 1, deniedAt: 10, deniedBy: 'boss', remark: 'not now' }),
      item('RolloutApproved.v1', { rolloutId: 2, approvedAt: 11, approvedBy: 'boss' }),
      item('RolloutUpdated.v1', { rolloutId: 2, name: 'renamed', updatedAt: 12, updatedBy: 'ann' }),
    ]);
    expect(rollouts[0]).toMatchObject({
      state: 'approval_denied',
      readyAt: 7,
      modifiedAt: 10,
      modifiedBy: 'boss',
      approvalDecidedBy: 'boss',
      approvalRemark: 'not now',
    });
    expect(rollouts[1]).toMatchObject({
      state: 'ready',
      modifiedAt: 12,
      modifiedBy: 'ann',
      approvalDecidedBy: 'boss',
      approvalRemark: null,
      name: 'renamed',
      description: null,
    });
  });

  it('lists removed rollouts, failed groups and settled actions; a pause request has no effect', () => {
    const request = item('RolloutPauseRequested.v1', { rolloutId: 3, groupId: 31, index: 1, cause: 'ERROR_CONDITION' });
    const result = plan([
      item('RolloutRemoved.v1', { rolloutId: 4, removedAt: 1, removedBy: 'ann' }),
      item('RolloutGroupFailed.v1', { rolloutId: 3, groupId: 31, index: 1, failedAt: 8 }),
      item('RolloutGroupFailed.v1', { rolloutId: 3, groupId: 31, index: 1, failedAt: 9 }),
      request,
      item('RolloutActionsSettled.v1', { rolloutId: 3, reason: 'STOPPED', settledAt: 20 }),
      item('RolloutActionsSettled.v1', { rolloutId: 3, reason: 'STOPPED', settledAt: 21 }),
    ]);
    expect(result.removed).toEqual([4]);
    expect(result.groups.map((g) => [g.groupId, g.failedAt])).toEqual([[31, 8]]);
    expect(result.settled).toEqual([{ rolloutId: 3, settledAt: 20 }]);
    expect(result.ignored).toEqual([request.context.messageId]);
    expect(result.rollouts).toEqual([]);
  });
});
