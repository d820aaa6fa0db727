import type { RolloutCreatedV1, RolloutGroupMembersAssignedV1 } from '@fleetwave/contracts';
import { groupActionsStream } from '../action-streams';
import { DispatchFixture, NOW, rolloutOf, rolloutStarted } from '../testing/dispatch.fixture';
import { RolloutEventsConsumer } from './rollout-events.consumer';

describe('RolloutEventsConsumer batch (real Postgres)', () => {
  const fx = new DispatchFixture();
  const rollouts = new RolloutEventsConsumer(fx.deps);
  beforeAll(() => fx.setUp());
  afterAll(() => fx.dispose());

  it('applies definitions, members and starts of several rollouts in Kafka order within one batch', async () => {
    const a = rolloutOf([3, 2]);
    const b = rolloutOf([4]);
    const items = [a.created, b.created, ...a.members, rolloutStarted(a.rolloutId), ...b.members].map((e) =>
      fx.item(e),
    );

    expect(await fx.run(rollouts.handleBatch, items)).toEqual({ rejected: [], ignored: [] });
    // The start only queued the creation: no action until the dispatch worker runs.
    expect(await fx.actions(a.rolloutId)).toEqual([]);
    await fx.dispatch();

    expect((await fx.actions(a.rolloutId)).map((x) => x.status)).toEqual(Array(5).fill('scheduled'));
    // b's members were recorded, but b has not started: no actions yet.
    expect(await fx.actions(b.rolloutId)).toEqual([]);
    const scheduled = [
      ...(await fx.events(groupActionsStream(a.rolloutId, a.groups[0]))),
      ...(await fx.events(groupActionsStream(a.rolloutId, a.groups[1]))),
    ];
    // Each event lists its actions: ids in target order, group by group.
    const created = await fx.actions(a.rolloutId);
    const members = a.members.flatMap((m) => (m.data as RolloutGroupMembersAssignedV1).members);
    const actionsOf = (from: number, to: number) =>
      created
        .slice(from, to)
        .map((x, i) => ({ actionId: x.id, targetId: members[from + i].targetId, controllerId: x.controller }));
    expect(scheduled.map((e) => e.data)).toEqual([
      { rolloutId: a.rolloutId, groupId: a.groups[0], count: 3, actions: actionsOf(0, 3), scheduledAt: NOW },
      { rolloutId: a.rolloutId, groupId: a.groups[1], count: 2, actions: actionsOf(3, 5), scheduledAt: NOW },
    ]);
    await fx.run(rollouts.handleBatch, [fx.item(rolloutStarted(b.rolloutId))]);
    await fx.dispatch();
    expect(await fx.actions(b.rolloutId)).toHaveLength(4);
  });

  it('rejects a definition Postgres would refuse (forceTime 1.5) and applies the rest of the batch', async () => {
    const bad = rolloutOf([1]);
    const good = rolloutOf([1]);
    const badCreated = fx.item({ ...bad.created, data: { ...(bad.created.data as RolloutCreatedV1), forceTime: 1.5 } });
    const other = fx.item({ type: 'RolloutFinished.v1', data: { rolloutId: good.rolloutId, finishedAt: 1 } });
    const items = [badCreated, fx.item(good.created), ...good.members.map((m) => fx.item(m)), other];

    expect(await fx.run(rollouts.handleBatch, [...items, fx.item(rolloutStarted(good.rolloutId))])).toEqual({
      rejected: [{ messageId: badCreated.context.messageId, reason: 'forceTime 1.5 is not epoch milliseconds' }],
      ignored: [other.context.messageId],
    });
    await fx.dispatch();
    expect(await fx.actions(good.rolloutId)).toHaveLength(1);
  });
});
