import { eventsFrom, NOW, OrchestratorFixture, rolloutEvents, statusChange } from '../testing/orchestrator.fixture';
import { ActionEventsConsumer } from './action-events.consumer';
import { RolloutEventsConsumer } from './rollout-events.consumer';

/**
 * A downloadonly rollout's actions end as finished when downloaded (`running → finished`);
 * streams written before that ended them in `downloaded`, maybe followed by `downloaded →
 * finished`. Either way an action counts as finished exactly once.
 */
describe('download-only rollouts: one finished count per action (real Postgres)', () => {
  const fx = new OrchestratorFixture();
  const rollouts = new RolloutEventsConsumer(fx.workflows);
  const actions = new ActionEventsConsumer(fx.workflows, () => NOW);
  beforeAll(() => fx.setUp());
  afterAll(() => fx.dispose());

  async function downloadOnly(sizes: number[], threshold?: number) {
    const r = rolloutEvents(sizes, threshold);
    const created = { ...r.created, data: { ...(r.created.data as object), actionType: 'downloadonly' } };
    await fx.run(rollouts.handleBatch, [created, r.ready, r.started]);
    return r;
  }

  it('counts actions closed at DOWNLOADED and ones left downloaded before alike, each once', async () => {
    // A 100 % threshold: one action counted twice would start group 2 before the last one ends.
    const r = await downloadOnly([4, 1], 100);
    const [g1, g2] = r.groups;
    const before = (await fx.workflow(r.rolloutId)).length;

    await fx.run(actions.handleBatch, [
      statusChange(r.rolloutId, g1, 'running', 'finished'),
      statusChange(r.rolloutId, g1, 'running', 'downloaded'),
      statusChange(r.rolloutId, g1, 'download', 'downloaded'),
    ]);
    // An action left downloaded then closed by a later DOWNLOADED report: the same action again.
    await fx.run(actions.handleBatch, [statusChange(r.rolloutId, g1, 'downloaded', 'finished')]);
    expect(await fx.workflow(r.rolloutId)).toHaveLength(before);

    await fx.run(actions.handleBatch, [statusChange(r.rolloutId, g1, 'running', 'finished')]);
    const figures = { total: 4, finished: 4, error: 0, cancelled: 0 };
    expect(eventsFrom(await fx.workflow(r.rolloutId), before)).toEqual([
      {
        type: 'RolloutGroupStarted.v1',
        data: {
          rolloutId: r.rolloutId,
          groupId: g2,
          index: 2,
          startedAt: NOW,
          reason: {
            kind: 'SUCCESS_CONDITION',
            groupId: g1,
            figures,
            condition: { condition: 'THRESHOLD', expression: 100 },
          },
        },
      },
      {
        type: 'RolloutGroupFinished.v1',
        data: { rolloutId: r.rolloutId, groupId: g1, index: 1, finishedAt: NOW, ...figures },
      },
    ]);
    // Finished actions, the one still downloaded apart: three, not four or five.
    expect((await fx.counters(r.rolloutId)).find((c) => c.groupId === g1)).toEqual({
      groupId: g1,
      finished: 3,
      error: 0,
      cancelled: 0,
    });
  });

  it('counts actions left downloaded by events of before as finished, once', async () => {
    const r = await downloadOnly([2, 2]);
    const [g1, g2] = r.groups;
    const figures = (finished: number, error = 0) => ({ total: 2, finished, error, cancelled: 0 });

    await fx.run(actions.handleBatch, [
      statusChange(r.rolloutId, g1, 'running', 'downloaded'),
      statusChange(r.rolloutId, g1, 'download', 'downloaded'),
    ]);
    // Downloaded, then finished: the same two actions, not two more.
    await fx.run(actions.handleBatch, [
      statusChange(r.rolloutId, g1, 'downloaded', 'finished'),
      statusChange(r.rolloutId, g1, 'downloaded', 'finished'),
    ]);
    await fx.run(actions.handleBatch, [
      statusChange(r.rolloutId, g2, 'running', 'downloaded'),
      statusChange(r.rolloutId, g2, 'running', 'error'),
    ]);

    const condition = { condition: 'THRESHOLD', expression: 50 };
    expect(eventsFrom(await fx.workflow(r.rolloutId), 3)).toEqual([
      {
        type: 'RolloutGroupStarted.v1',
        data: {
          rolloutId: r.rolloutId,
          groupId: g2,
          index: 2,
          startedAt: NOW,
          reason: { kind: 'SUCCESS_CONDITION', groupId: g1, figures: figures(2), condition },
        },
      },
      {
        type: 'RolloutGroupFinished.v1',
        data: { rolloutId: r.rolloutId, groupId: g1, index: 1, finishedAt: NOW, ...figures(2) },
      },
      {
        type: 'RolloutGroupFinished.v1',
        data: { rolloutId: r.rolloutId, groupId: g2, index: 2, finishedAt: NOW, ...figures(1, 1) },
      },
      { type: 'RolloutGroupsCompleted.v1', data: { rolloutId: r.rolloutId, completedAt: NOW } },
    ]);
  });
});
