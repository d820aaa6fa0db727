import {
  actionsSettled,
  eventsFrom,
  lifecycle,
  NOW,
  OrchestratorFixture,
  rolloutEvents,
  statusChange,
} from '../testing/orchestrator.fixture';
import { ActionEventsConsumer } from './action-events.consumer';
import { RolloutEventsConsumer } from './rollout-events.consumer';

const error50 = { condition: 'THRESHOLD', expression: 50 };

describe('group workflow lifecycle through the consumers (real Postgres)', () => {
  const fx = new OrchestratorFixture();
  const rollouts = new RolloutEventsConsumer(fx.workflows);
  const actions = new ActionEventsConsumer(fx.workflows, () => NOW);
  beforeAll(() => fx.setUp());
  afterAll(() => fx.dispose());

  async function started(sizes: number[]) {
    const r = rolloutEvents(sizes);
    await fx.run(rollouts.handleBatch, [r.created, r.ready, r.started]);
    return r;
  }

  it('pauses the rollout on an error threshold, and resume starts the next group at once', async () => {
    const r = await started([4, 4, 4]);
    const [g1, g2] = r.groups;
    const figures = { total: 4, finished: 0, error: 3, cancelled: 0 };

    await fx.run(actions.handleBatch, [
      statusChange(r.rolloutId, g1, 'running', 'error'),
      statusChange(r.rolloutId, g1, 'download', 'error'),
      statusChange(r.rolloutId, g1, 'running', 'error'),
    ]);

    expect(eventsFrom(await fx.workflow(r.rolloutId), 3)).toEqual([
      {
        type: 'RolloutGroupFailed.v1',
        data: { rolloutId: r.rolloutId, groupId: g1, index: 1, failedAt: NOW, condition: error50, ...figures },
      },
      {
        type: 'RolloutPauseRequested.v1',
        data: {
          rolloutId: r.rolloutId,
          groupId: g1,
          index: 1,
          cause: 'ERROR_CONDITION',
          condition: error50,
          requestedAt: NOW,
          ...figures,
        },
      },
    ]);

    // rollout-command pauses the rollout on the request; the workflow paused from its request on.
    const paused = await fx.run(rollouts.handleBatch, [lifecycle.paused(r.rolloutId, 'ERROR_CONDITION', g1)]);
    expect(paused && paused.ignored).toHaveLength(1);
    // The failed group's last action finishing changes nothing: the group is in error, not running.
    await fx.run(actions.handleBatch, [statusChange(r.rolloutId, g1, 'running', 'finished')]);
    expect(await fx.workflow(r.rolloutId)).toHaveLength(5);

    await fx.run(rollouts.handleBatch, [lifecycle.resumed(r.rolloutId)]);

    expect(eventsFrom(await fx.workflow(r.rolloutId), 5)).toEqual([
      { type: 'GroupWorkflowResumed.v1', data: { rolloutId: r.rolloutId, resumedAt: NOW, resumedBy: 'ops' } },
      {
        type: 'RolloutGroupStarted.v1',
        data: { rolloutId: r.rolloutId, groupId: g2, index: 2, startedAt: NOW, reason: { kind: 'RESUMED', by: 'ops' } },
      },
    ]);
  });

  it('stops: scheduled groups finish at once, running ones when the actions settle', async () => {
    const r = await started([4, 4]);
    const [g1, g2] = r.groups;
    await fx.run(actions.handleBatch, [statusChange(r.rolloutId, g1, 'running', 'finished')]);

    await fx.run(rollouts.handleBatch, [lifecycle.stopping(r.rolloutId)]);
    expect(eventsFrom(await fx.workflow(r.rolloutId), 3)).toEqual([
      {
        type: 'GroupWorkflowStopping.v1',
        data: { rolloutId: r.rolloutId, reason: 'STOPPED', requestedAt: NOW, requestedBy: 'ops' },
      },
      {
        type: 'RolloutGroupFinished.v1',
        data: {
          rolloutId: r.rolloutId,
          groupId: g2,
          index: 2,
          finishedAt: NOW,
          total: 4,
          finished: 0,
          error: 0,
          cancelled: 0,
        },
      },
    ]);

    // The cancellations and the settling in one batch: counted first, then the settling.
    await fx.run(actions.handleBatch, [
      ...Array.from({ length: 3 }, () => statusChange(r.rolloutId, g1, 'canceling', 'canceled')),
      actionsSettled(r.rolloutId),
    ]);

    expect(eventsFrom(await fx.workflow(r.rolloutId), 5)).toEqual([
      { type: 'GroupWorkflowSettled.v1', data: { rolloutId: r.rolloutId, reason: 'STOPPED', settledAt: NOW } },
      {
        type: 'RolloutGroupFinished.v1',
        data: {
          rolloutId: r.rolloutId,
          groupId: g1,
          index: 1,
          finishedAt: NOW,
          total: 4,
          finished: 1,
          error: 0,
          cancelled: 3,
        },
      },
      { type: 'RolloutGroupsCompleted.v1', data: { rolloutId: r.rolloutId, completedAt: NOW } },
    ]);
  });

  it('stops when the settling arrives before the stop (two topics, no order between them)', async () => {
    const r = await started([2, 2]);
    const [g1, g2] = r.groups;
    await fx.run(actions.handleBatch, [
      statusChange(r.rolloutId, g1, 'canceling', 'canceled'),
      statusChange(r.rolloutId, g1, 'canceling', 'canceled'),
      actionsSettled(r.rolloutId, 'DELETED'),
    ]);
    expect(eventsFrom(await fx.workflow(r.rolloutId), 3)).toEqual([
      { type: 'GroupWorkflowSettled.v1', data: { rolloutId: r.rolloutId, reason: 'DELETED', settledAt: NOW } },
    ]);

    await fx.run(rollouts.handleBatch, [lifecycle.deleting(r.rolloutId)]);

    const finished = (groupId: number, index: number, cancelled: number) => ({
      type: 'RolloutGroupFinished.v1',
      data: { rolloutId: r.rolloutId, groupId, index, finishedAt: NOW, total: 2, finished: 0, error: 0, cancelled },
    });
    expect(eventsFrom(await fx.workflow(r.rolloutId), 4)).toEqual([
      {
        type: 'GroupWorkflowStopping.v1',
        data: { rolloutId: r.rolloutId, reason: 'DELETED', requestedAt: NOW, requestedBy: 'ops' },
      },
      finished(g2, 2, 0),
      finished(g1, 1, 2),
      { type: 'RolloutGroupsCompleted.v1', data: { rolloutId: r.rolloutId, completedAt: NOW } },
    ]);
  });

  it('changes nothing when a lifecycle batch is delivered again', async () => {
    const r = await started([2, 2, 2]);
    const batch = [
      r.created,
      r.ready,
      r.started,
      lifecycle.paused(r.rolloutId),
      lifecycle.resumed(r.rolloutId),
      lifecycle.stopping(r.rolloutId),
    ];
    await fx.run(rollouts.handleBatch, batch.slice(3));
    const before = await fx.workflow(r.rolloutId);
    // Types: defined, sized, group 1 started, paused, resumed, stopping, groups 2 and 3 finished.
    expect(before).toHaveLength(8);

    const again = await fx.run(rollouts.handleBatch, batch);

    expect(again && again.ignored).toHaveLength(batch.length);
    expect(await fx.workflow(r.rolloutId)).toEqual(before);
  });
});
