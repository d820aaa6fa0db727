import type { ActionsScheduledV1, RolloutCreatedV1 } from '@fleetwave/contracts';
import type { Envelope } from '@fleetwave/service-kit';
import { groupActionsStream } from './action-streams';
import { GroupEventsConsumer } from './consumers/group-events.consumer';
import { RolloutEventsConsumer } from './consumers/rollout-events.consumer';
import {
  DispatchFixture,
  freshId,
  groupStarted,
  NOW,
  rolloutOf,
  rolloutStarted,
  rolloutStopping,
} from './testing/dispatch.fixture';

/** A membership chunk of the given targets (controller `dev-<targetId>`), as a dynamic intake writes it. */
const chunkOf = (rolloutId: number, groupId: number, chunk: number, targets: number[]): Envelope => ({
  type: 'RolloutGroupMembersAssigned.v1',
  data: { rolloutId, groupId, chunk, members: targets.map((t) => ({ targetId: t, controllerId: `dev-${t}` })) },
});

/** A dynamic rollout: a static group of `staticSize` members, then an empty dynamic group; distribution set `ds`. */
function dynamicRollout(staticSize: number, ds = 7) {
  const r = rolloutOf([staticSize, 0]);
  const data = r.created.data as RolloutCreatedV1;
  data.dynamic = { nameSuffix: 'dyn', targetCount: 10 };
  data.groups[1].dynamic = { capacity: 10 };
  data.distributionSet = { ...data.distributionSet, id: ds };
  return { ...r, members: r.members.slice(0, 1), staticGroup: r.groups[0], dynamicGroup: r.groups[1] };
}

describe('actions of members assigned after the start (real Postgres)', () => {
  const fx = new DispatchFixture();
  const rollouts = new RolloutEventsConsumer(fx.deps);
  const groups = new GroupEventsConsumer(fx.deps);
  beforeAll(() => fx.setUp());
  afterAll(() => fx.dispose());

  const consume = (handler: typeof rollouts.handleBatch, events: Envelope[]) =>
    fx.run(
      handler,
      events.map((e) => fx.item(e)),
    );

  /** Per target: its action's status and how many instructions its stream holds. */
  async function byTarget(rolloutId: number): Promise<Record<string, [string, number]>> {
    const { rows } = await fx.pool.query<{ target_id: string; status: string; instructions: number }>(
      `select a.target_id, a.status, count(e.position)::int as instructions
         from ${fx.schema}.actions a
         left join "${fx.schema}".events e on e.stream_name = 'action-' || a.id and e.type = 'DeviceMessageRequested.v1'
        where a.rollout_id = $1 group by a.id order by a.target_id`,
      [rolloutId],
    );
    return Object.fromEntries(rows.map((r) => [r.target_id, [r.status, r.instructions]]));
  }

  async function scheduledEvents(rolloutId: number, groupId: number): Promise<ActionsScheduledV1[]> {
    const events = await fx.events(groupActionsStream(rolloutId, groupId));
    return events.map((e) => e.data as ActionsScheduledV1);
  }

  it('creates scheduled actions at once, then running ones with their instruction once the group runs', async () => {
    const r = dynamicRollout(1);
    await consume(rollouts.handleBatch, [r.created, ...r.members, rolloutStarted(r.rolloutId)]);
    await consume(groups.handleBatch, [groupStarted(r.rolloutId, r.staticGroup)]);
    await fx.dispatch();

    // Taken in while the dynamic group is still scheduled: scheduled actions, no worker needed.
    const [t1, t2, t3] = [freshId(), freshId(), freshId()];
    await consume(rollouts.handleBatch, [chunkOf(r.rolloutId, r.dynamicGroup, 0, [t1, t2])]);
    expect(await byTarget(r.rolloutId)).toMatchObject({ [t1]: ['scheduled', 0], [t2]: ['scheduled', 0] });
    const actions = await fx.actions(r.rolloutId);
    const idOf = (target: number) => actions.find((a) => a.controller === `dev-${target}`)?.id;
    expect(await scheduledEvents(r.rolloutId, r.dynamicGroup)).toEqual([
      {
        rolloutId: r.rolloutId,
        groupId: r.dynamicGroup,
        count: 2,
        actions: [
          { actionId: idOf(t1), targetId: t1, controllerId: `dev-${t1}` },
          { actionId: idOf(t2), targetId: t2, controllerId: `dev-${t2}` },
        ],
        scheduledAt: NOW,
      },
    ]);

    // The group starts (the worker activates what it has), then a member arrives: running at once.
    await consume(groups.handleBatch, [groupStarted(r.rolloutId, r.dynamicGroup, 2)]);
    await fx.dispatch();
    await consume(rollouts.handleBatch, [chunkOf(r.rolloutId, r.dynamicGroup, 1, [t3])]);
    expect(await byTarget(r.rolloutId)).toMatchObject({
      [t1]: ['running', 1],
      [t2]: ['running', 1],
      [t3]: ['running', 1],
    });

    // Redelivered (a new message id), the chunk creates and sends nothing more; nor does the worker.
    await consume(rollouts.handleBatch, [chunkOf(r.rolloutId, r.dynamicGroup, 1, [t3])]);
    await fx.dispatch();
    expect(Object.values(await byTarget(r.rolloutId)).filter(([, sent]) => sent === 1)).toHaveLength(4);
    expect(await scheduledEvents(r.rolloutId, r.dynamicGroup)).toHaveLength(2);
  });

  it('takes the targets over from older rollouts and finishes at once where the set is assigned', async () => {
    // An older rollout (set 7): target a running in group 1, target b scheduled in group 2.
    const older = rolloutOf([1, 1]);
    await consume(rollouts.handleBatch, [older.created, ...older.members, rolloutStarted(older.rolloutId)]);
    await consume(groups.handleBatch, [groupStarted(older.rolloutId, older.groups[0])]);
    await fx.dispatch();
    const [olderRunning, olderScheduled] = await fx.actions(older.rolloutId);
    const targetOf = async (actionId: number) =>
      Number(
        (await fx.pool.query(`select target_id from ${fx.schema}.actions where id = $1`, [actionId])).rows[0].target_id,
      );
    const a = await targetOf(olderRunning.id);
    const b = await targetOf(olderScheduled.id);

    // A newer dynamic rollout of set 8 runs its dynamic group and takes in a and b; one of set 7 takes in c.
    const newer = dynamicRollout(0, 8);
    await consume(rollouts.handleBatch, [newer.created, rolloutStarted(newer.rolloutId)]);
    await consume(groups.handleBatch, [groupStarted(newer.rolloutId, newer.dynamicGroup, 2)]);
    await fx.dispatch();
    await consume(rollouts.handleBatch, [chunkOf(newer.rolloutId, newer.dynamicGroup, 0, [a, b])]);

    expect(await byTarget(older.rolloutId)).toEqual({ [a]: ['canceling', 2], [b]: ['canceled', 0] });
    expect(await byTarget(newer.rolloutId)).toEqual({ [a]: ['running', 1], [b]: ['running', 1] });

    const sameSet = dynamicRollout(0, 8);
    await consume(rollouts.handleBatch, [sameSet.created, rolloutStarted(sameSet.rolloutId)]);
    await consume(groups.handleBatch, [groupStarted(sameSet.rolloutId, sameSet.dynamicGroup, 2)]);
    await fx.dispatch();
    await consume(rollouts.handleBatch, [chunkOf(sameSet.rolloutId, sameSet.dynamicGroup, 0, [b])]);
    expect(await byTarget(sameSet.rolloutId)).toEqual({ [b]: ['finished', 0] });
  });

  it('leaves members of a rollout not started to its start, and gives those of an ending rollout none', async () => {
    const r = dynamicRollout(1);
    const t = freshId();
    await consume(rollouts.handleBatch, [r.created, ...r.members, chunkOf(r.rolloutId, r.dynamicGroup, 0, [t])]);
    expect(await fx.actions(r.rolloutId)).toEqual([]);
    await consume(rollouts.handleBatch, [rolloutStarted(r.rolloutId)]);
    await fx.dispatch();
    expect(Object.keys(await byTarget(r.rolloutId))).toHaveLength(2);

    await consume(rollouts.handleBatch, [rolloutStopping(r.rolloutId)]);
    await fx.dispatch();
    await consume(rollouts.handleBatch, [chunkOf(r.rolloutId, r.dynamicGroup, 1, [freshId()])]);
    expect(Object.keys(await byTarget(r.rolloutId))).toHaveLength(2);
  });
});
