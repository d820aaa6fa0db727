import type { ActionStatus } from '@fleetwave/contracts';
import type { BatchItem } from '@fleetwave/messaging';
import type { Envelope } from '@fleetwave/service-kit';
import { planProgress, rolloutsNeedingActionType } from './rollout-progress.plan';

let seq = 0;
const item = (type: string, data: object): BatchItem<Envelope> => {
  const messageId = `m-${++seq}`;
  return {
    message: { type, data },
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
    expect(plan.rollouts).toEqual([{ rolloutId: 1, totalTargets: 5, readyAt: 7, startedAt: 10, finishedAt: null }]);
    expect(plan.groupTotals).toEqual([{ groupId: 11, totalTargets: 5 }]);
    expect(plan.groups.map((g) => [g.groupId, g.startedAt, g.finishedAt])).toEqual([[11, null, 30]]);
  });
});
