import type { RecordedEvent } from '@fleetwave/contracts';
import { NOW, OrchestratorFixture, rolloutEvents, statusChange } from '../testing/orchestrator.fixture';
import { isWorkflowEvent } from '../domain/group-workflow.events';
import { ActionEventsConsumer } from './action-events.consumer';
import { RolloutEventsConsumer } from './rollout-events.consumer';

const summary = (events: RecordedEvent[]) =>
  events.map((e) => {
    const groupId = isWorkflowEvent(e) && 'groupId' in e.data ? `:${e.data.groupId}` : '';
    return `${e.revision}:${e.type}${groupId}`;
  });

describe('group workflow consumers in batches (real Postgres)', () => {
  const fx = new OrchestratorFixture();
  const rollouts = new RolloutEventsConsumer(fx.workflows);
  const actions = new ActionEventsConsumer(fx.workflows, () => NOW);
  beforeAll(() => fx.setUp());
  afterAll(() => fx.dispose());

  it('defines, sizes and starts a rollout whose three events arrive in one batch', async () => {
    const r = rolloutEvents([10, 10]);
    expect(await fx.run(rollouts.handleBatch, [r.created, r.ready, r.started])).toEqual({ rejected: [], ignored: [] });
    expect(summary(await fx.workflow(r.rolloutId))).toEqual([
      '0:GroupWorkflowDefined.v1',
      '1:GroupTotalsKnown.v1',
      `2:RolloutGroupStarted.v1:${r.groups[0]}`,
    ]);
    const again = await fx.run(rollouts.handleBatch, [r.created, r.started]);
    expect(again && again.ignored).toHaveLength(2);
    expect(await fx.workflow(r.rolloutId)).toHaveLength(3);
  });

  it('sums a batch of status changes per group and starts the next group exactly once', async () => {
    const r = rolloutEvents([200, 200, 200]);
    await fx.run(rollouts.handleBatch, [r.created, r.ready, r.started]);
    const [g1, g2, g3] = r.groups;
    // 150 of 200 finish (threshold 50 %, crossed at the 100th), plus changes that move no counter.
    const batch = [
      ...Array.from({ length: 150 }, () => statusChange(r.rolloutId, g1, 'running', 'finished')),
      statusChange(r.rolloutId, g1, 'running', 'download'),
      statusChange(r.rolloutId, g1, 'finished', 'error'),
    ];

    const result = await fx.run(actions.handleBatch, batch);

    expect(result && result.ignored).toHaveLength(2);
    expect(await fx.counters(r.rolloutId)).toEqual([
      { groupId: g1, finished: 150, error: 0, cancelled: 0 },
      { groupId: g2, finished: 0, error: 0, cancelled: 0 },
      { groupId: g3, finished: 0, error: 0, cancelled: 0 },
    ]);
    expect(summary(await fx.workflow(r.rolloutId)).slice(3)).toEqual([`3:RolloutGroupStarted.v1:${g2}`]);

    // The rest of group 1 and one error: group 1 finishes; group 2 does not reach its threshold.
    await fx.run(actions.handleBatch, [
      ...Array.from({ length: 49 }, () => statusChange(r.rolloutId, g1, 'running', 'finished')),
      statusChange(r.rolloutId, g1, 'download', 'error'),
      statusChange(r.rolloutId, g2, 'running', 'finished'),
    ]);
    const workflow = await fx.workflow(r.rolloutId);
    expect(summary(workflow).slice(3)).toEqual([`3:RolloutGroupStarted.v1:${g2}`, `4:RolloutGroupFinished.v1:${g1}`]);
    expect(workflow[4].data).toMatchObject({ total: 200, finished: 199, error: 1, cancelled: 0 });
  });

  it('steps each rollout of a batch once, whatever its number of messages', async () => {
    const a = rolloutEvents([4, 4]);
    const b = rolloutEvents([2]);
    await fx.run(rollouts.handleBatch, [a.created, b.created, a.ready, b.ready, a.started, b.started]);
    // Rollout a crosses its threshold (2 of 4) at its second message; b completes at its last.
    const batch = [
      statusChange(a.rolloutId, a.groups[0], 'running', 'finished'),
      statusChange(b.rolloutId, b.groups[0], 'running', 'finished'),
      statusChange(a.rolloutId, a.groups[0], 'running', 'finished'),
      statusChange(a.rolloutId, a.groups[0], 'running', 'canceled'),
      statusChange(b.rolloutId, b.groups[0], 'running', 'error'),
    ].map((e) => fx.item(e));

    await fx.run(actions.handleBatch, batch);

    // One step per rollout, after the whole batch: caused by the rollout's last counted message.
    const aEvents = await fx.workflow(a.rolloutId);
    expect(summary(aEvents).slice(3)).toEqual([`3:RolloutGroupStarted.v1:${a.groups[1]}`]);
    expect(aEvents[3].metadata.causationId).toBe(batch[3].context.messageId);
    const bEvents = await fx.workflow(b.rolloutId);
    expect(summary(bEvents).slice(3)).toEqual([
      `3:RolloutGroupFinished.v1:${b.groups[0]}`,
      '4:RolloutGroupsCompleted.v1',
    ]);
    expect(bEvents[3].data).toMatchObject({ finished: 1, error: 1 });
    expect(bEvents[3].metadata.causationId).toBe(batch[4].context.messageId);
  });
});
