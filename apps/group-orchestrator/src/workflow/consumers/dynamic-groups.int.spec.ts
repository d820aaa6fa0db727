import {
  dynamicRolloutEvents,
  eventsFrom,
  freshId,
  groupAddedEvent,
  membersChunk,
  NOW,
  OrchestratorFixture,
  statusChange,
} from '../testing/orchestrator.fixture';
import { ActionEventsConsumer } from './action-events.consumer';
import { RolloutEventsConsumer } from './rollout-events.consumer';

const success50 = { condition: 'THRESHOLD', expression: 50 };
const policy = {
  successCondition: success50,
  successAction: { action: 'NEXTGROUP' },
  errorCondition: { condition: 'THRESHOLD', expression: 50 },
  errorAction: { action: 'PAUSE' },
};

describe('dynamic groups through the consumers (real Postgres)', () => {
  const fx = new OrchestratorFixture();
  const rollouts = new RolloutEventsConsumer(fx.workflows, () => NOW);
  const actions = new ActionEventsConsumer(fx.workflows, () => NOW);
  beforeAll(() => fx.setUp());
  afterAll(() => fx.dispose());

  it('grows the dynamic group with its members, adds the next group and never completes the rollout', async () => {
    const r = dynamicRolloutEvents([2], 3);
    const [g1, g2] = r.groups;
    const { rolloutId } = r;
    const created = await fx.run(rollouts.handleBatch, [r.created, ...r.chunks, r.ready, r.started]);
    // The static group's chunk changes nothing: its total came with the ready event.
    expect(created && created.ignored).toHaveLength(1);

    // Group 1 reaches its condition: the dynamic group starts, with no member yet.
    await fx.run(actions.handleBatch, [statusChange(rolloutId, g1, 'running', 'finished')]);
    await fx.run(rollouts.handleBatch, [membersChunk(rolloutId, g2, 0, 2)]);
    const start2 = (await fx.workflow(rolloutId)).length - 2;
    expect(eventsFrom(await fx.workflow(rolloutId), start2)).toEqual([
      {
        type: 'RolloutGroupStarted.v1',
        data: {
          rolloutId,
          groupId: g2,
          index: 2,
          startedAt: NOW,
          reason: {
            kind: 'SUCCESS_CONDITION',
            groupId: g1,
            figures: { total: 2, finished: 1, error: 0, cancelled: 0 },
            condition: success50,
          },
        },
      },
      { type: 'GroupWorkflowMembersAdded.v1', data: { rolloutId, groups: [{ groupId: g2, added: 2 }] } },
    ]);

    // Both members final: 2 of capacity 3 holds the success condition, but the group is not full.
    const before = (await fx.workflow(rolloutId)).length;
    await fx.run(actions.handleBatch, [
      statusChange(rolloutId, g1, 'running', 'finished'),
      statusChange(rolloutId, g2, 'running', 'finished'),
      statusChange(rolloutId, g2, 'running', 'finished'),
    ]);
    const figures1 = { total: 2, finished: 2, error: 0, cancelled: 0 };
    expect(eventsFrom(await fx.workflow(rolloutId), before)).toEqual([
      { type: 'RolloutGroupFinished.v1', data: { rolloutId, groupId: g1, index: 1, finishedAt: NOW, ...figures1 } },
    ]);

    // The last member fills the group and the next group is added in the same step.
    const g3 = freshId();
    const filled = (await fx.workflow(rolloutId)).length;
    await fx.run(rollouts.handleBatch, [
      membersChunk(rolloutId, g2, 1, 1),
      groupAddedEvent(rolloutId, r.dynamicGroup, g3, 3),
    ]);
    const figures2 = { total: 3, finished: 2, error: 0, cancelled: 0 };
    expect(eventsFrom(await fx.workflow(rolloutId), filled)).toEqual([
      { type: 'GroupWorkflowMembersAdded.v1', data: { rolloutId, groups: [{ groupId: g2, added: 1 }] } },
      {
        type: 'GroupWorkflowGroupAdded.v1',
        data: { rolloutId, group: { groupId: g3, index: 3, policy, capacity: 3 } },
      },
      {
        type: 'RolloutGroupStarted.v1',
        data: {
          rolloutId,
          groupId: g3,
          index: 3,
          startedAt: NOW,
          reason: { kind: 'SUCCESS_CONDITION', groupId: g2, figures: figures2, condition: success50 },
        },
      },
    ]);

    // The third member's action ends: group 2 finishes, and the rollout goes on (group 3 runs).
    const last = (await fx.workflow(rolloutId)).length;
    await fx.run(actions.handleBatch, [statusChange(rolloutId, g2, 'running', 'error')]);
    const final2 = { total: 3, finished: 2, error: 1, cancelled: 0 };
    expect(eventsFrom(await fx.workflow(rolloutId), last)).toEqual([
      { type: 'RolloutGroupFinished.v1', data: { rolloutId, groupId: g2, index: 2, finishedAt: NOW, ...final2 } },
    ]);
  });

  it('counts the actions of an added group consumed before the group itself', async () => {
    const r = dynamicRolloutEvents([], 2);
    const [g1] = r.groups;
    const { rolloutId } = r;
    await fx.run(rollouts.handleBatch, [r.created, r.ready, r.started, membersChunk(rolloutId, g1, 0, 2)]);
    const g2 = freshId();
    // Group 2's first action is counted before the rollout consumer hears of group 2.
    await fx.run(actions.handleBatch, [statusChange(rolloutId, g2, 'running', 'finished')]);
    await fx.run(rollouts.handleBatch, [groupAddedEvent(rolloutId, r.dynamicGroup, g2, 2)]);
    expect((await fx.counters(rolloutId)).find((c) => c.groupId === g2)).toEqual({
      groupId: g2,
      finished: 1,
      error: 0,
      cancelled: 0,
    });
    // Group 1 is below its condition (0 of 2): group 2 stays scheduled.
    const events = await fx.workflow(rolloutId);
    expect(events.map((e) => e.type).slice(-2)).toEqual(['GroupWorkflowMembersAdded.v1', 'GroupWorkflowGroupAdded.v1']);
  });
});
