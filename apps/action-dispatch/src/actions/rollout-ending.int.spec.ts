import { withTransaction } from '@fleetwave/platform';
import { settleRollouts } from './action-settlement';
import { actionStream } from './action-streams';
import { DeviceStatusConsumer } from './consumers/device-status.consumer';
import { GroupEventsConsumer } from './consumers/group-events.consumer';
import { RolloutEventsConsumer } from './consumers/rollout-events.consumer';
import {
  DispatchFixture,
  groupStarted,
  NOW,
  rolloutDeleting,
  rolloutOf,
  rolloutRemoved,
  rolloutStarted,
  rolloutStopped,
  rolloutStopping,
} from './testing/dispatch.fixture';
import { EndingProbe } from './testing/ending.fixture';

describe('stopping and deleting rollouts: cancellation and settlement (real Postgres)', () => {
  const fx = new DispatchFixture();
  const probe = new EndingProbe(fx);
  const rollouts = new RolloutEventsConsumer(fx.deps);
  const groups = new GroupEventsConsumer(fx.deps);
  const devices = new DeviceStatusConsumer(fx.deps);
  const { lifecycle, report, statuses, settlements, cancels, transitions, underway } = probe;
  beforeAll(() => fx.setUp());
  afterAll(() => fx.dispose());

  it('stops: scheduled actions canceled, running ones canceling with one CANCEL_DOWNLOAD each; settles once when the devices confirm', async () => {
    const rollout = await underway([2, 3]);
    const [g1, g2] = rollout.groups;
    expect(await lifecycle(rolloutStopping(rollout.rolloutId))).toEqual({ rejected: [], ignored: [] });
    const outcomes = await fx.dispatch();
    expect(outcomes.map((o) => [o.groupId, o.kind, o.count, o.done])).toEqual([
      [g1, 'cancel', 2, false],
      [g1, 'cancel', 0, true],
      [g2, 'cancel', 3, false],
      [g2, 'cancel', 0, true],
    ]);

    const actions = await fx.actions(rollout.rolloutId);
    expect(actions.map((a) => a.status)).toEqual(['canceling', 'canceling', 'canceled', 'canceled', 'canceled']);
    const [a1, a2] = actions;
    expect(await cancels(a1.id)).toEqual([
      {
        type: 'CANCEL_DOWNLOAD',
        tenant: 'DEFAULT',
        controllerId: a1.controller,
        actionId: a1.id,
        rolloutId: rollout.rolloutId,
        groupId: g1,
      },
    ]);
    expect(await cancels(a2.id)).toHaveLength(1);
    for (const scheduled of actions.slice(2)) {
      expect((await fx.events(actionStream(scheduled.id))).map((e) => e.type)).toEqual(['ActionStatusChanged.v1']);
      expect(await transitions(scheduled.id)).toEqual(['scheduled->canceled']);
    }
    // Canceling actions are still open: nothing settled yet.
    expect(await settlements(rollout.rolloutId)).toEqual({ stopped: [], deleted: [] });

    await fx.run(devices.handleBatch, [report(a1, 'CANCELED')]);
    expect(await settlements(rollout.rolloutId)).toEqual({ stopped: [], deleted: [] });
    await fx.run(devices.handleBatch, [report(a2, 'CANCELED')]);
    const settled = ['RolloutActionsSettled.v1', { rolloutId: rollout.rolloutId, reason: 'STOPPED', settledAt: NOW }];
    expect(await settlements(rollout.rolloutId)).toEqual({ stopped: [settled], deleted: [] });

    // Redeliveries (new message ids) change nothing: no event, no second settlement, no work.
    const again = [report(a1, 'CANCELED'), report(a2, 'CANCELED')];
    expect(await fx.run(devices.handleBatch, again)).toEqual({
      rejected: [],
      ignored: again.map((i) => i.context.messageId),
    });
    const stopAgain = fx.item(rolloutStopping(rollout.rolloutId));
    expect(await fx.run(rollouts.handleBatch, [stopAgain])).toEqual({
      rejected: [],
      ignored: [stopAgain.context.messageId],
    });
    expect(await fx.dispatch()).toEqual([]);
    expect(await withTransaction(fx.pool, (tx) => settleRollouts(fx.deps, tx, [rollout.rolloutId]))).toEqual([]);
    expect(await settlements(rollout.rolloutId)).toEqual({ stopped: [settled], deleted: [] });
    expect(await statuses(rollout.rolloutId)).toEqual(Array(5).fill('canceled'));
    expect(await transitions(a1.id)).toEqual(['scheduled->running', 'running->canceling', 'canceling->canceled']);
  });

  it('a rejected cancel makes the action running again; the rollout settles when it finishes', async () => {
    const rollout = await underway([2]);
    await lifecycle(rolloutStopping(rollout.rolloutId));
    await fx.dispatch();
    const [a1, a2] = await fx.actions(rollout.rolloutId);

    await fx.run(devices.handleBatch, [report(a1, 'CANCELED'), report(a2, 'CANCEL_REJECTED')]);
    expect(await statuses(rollout.rolloutId)).toEqual(['canceled', 'running']);
    expect(await settlements(rollout.rolloutId)).toEqual({ stopped: [], deleted: [] });

    await fx.run(devices.handleBatch, [report(a2, 'DOWNLOAD'), report(a2, 'FINISHED')]);
    expect(await statuses(rollout.rolloutId)).toEqual(['canceled', 'finished']);
    expect(await transitions(a2.id)).toEqual([
      'scheduled->running',
      'running->canceling',
      'canceling->running',
      'running->download',
      'download->finished',
    ]);
    expect((await settlements(rollout.rolloutId)).stopped).toEqual([
      ['RolloutActionsSettled.v1', { rolloutId: rollout.rolloutId, reason: 'STOPPED', settledAt: NOW }],
    ]);
  });

  it('deletes: every action canceled at once, the active ones told to cancel, settled at the end of the chunks', async () => {
    const rollout = await underway([2, 2]);
    await lifecycle(rolloutDeleting(rollout.rolloutId));
    await fx.dispatch();

    const actions = await fx.actions(rollout.rolloutId);
    expect(actions.map((a) => a.status)).toEqual(Array(4).fill('canceled'));
    expect(await Promise.all(actions.map(async (a) => (await cancels(a.id)).length))).toEqual([1, 1, 0, 0]);
    expect(await settlements(rollout.rolloutId)).toEqual({
      stopped: [],
      deleted: [['RolloutActionsSettled.v1', { rolloutId: rollout.rolloutId, reason: 'DELETED', settledAt: NOW }]],
    });
    // A late answer of a device and a redelivered delete change nothing.
    const late = report(actions[0], 'CANCELED');
    const deleteAgain = fx.item(rolloutDeleting(rollout.rolloutId));
    expect(await fx.run(devices.handleBatch, [late])).toEqual({ rejected: [], ignored: [late.context.messageId] });
    expect(await fx.run(rollouts.handleBatch, [deleteAgain])).toEqual({
      rejected: [],
      ignored: [deleteAgain.context.messageId],
    });
    expect(await fx.dispatch()).toEqual([]);
    expect((await settlements(rollout.rolloutId)).deleted).toHaveLength(1);
  });

  it('a delete during a stop force-cancels the canceling actions and settles as DELETED only', async () => {
    const rollout = await underway([1, 1]);
    await lifecycle(rolloutStopping(rollout.rolloutId));
    await fx.dispatch();
    expect(await statuses(rollout.rolloutId)).toEqual(['canceling', 'canceled']);

    await lifecycle(rolloutDeleting(rollout.rolloutId));
    await fx.dispatch();
    const [active] = await fx.actions(rollout.rolloutId);
    expect(await statuses(rollout.rolloutId)).toEqual(['canceled', 'canceled']);
    expect(await cancels(active.id)).toHaveLength(1);
    const { stopped, deleted } = await settlements(rollout.rolloutId);
    expect([stopped.length, deleted.length]).toEqual([0, 1]);
  });

  it('a delete of a stopped rollout settles it again, as DELETED', async () => {
    const rollout = await underway([1]);
    await lifecycle(rolloutStopping(rollout.rolloutId));
    await fx.dispatch();
    const [action] = await fx.actions(rollout.rolloutId);
    await fx.run(devices.handleBatch, [report(action, 'CANCELED')]);
    expect((await settlements(rollout.rolloutId)).stopped).toHaveLength(1);

    expect(await lifecycle(rolloutDeleting(rollout.rolloutId))).toEqual({ rejected: [], ignored: [] });
    await fx.dispatch();
    expect(await settlements(rollout.rolloutId)).toEqual({
      stopped: [['RolloutActionsSettled.v1', { rolloutId: rollout.rolloutId, reason: 'STOPPED', settledAt: NOW }]],
      deleted: [['RolloutActionsSettled.v1', { rolloutId: rollout.rolloutId, reason: 'DELETED', settledAt: NOW }]],
    });
    expect(await cancels(action.id)).toHaveLength(1);
  });

  it('a group start after the stop activates nothing, and creation stops where it stands', async () => {
    const rollout = rolloutOf([3, 4]);
    await fx.run(
      rollouts.handleBatch,
      [rollout.created, ...rollout.members, rolloutStarted(rollout.rolloutId)].map((e) => fx.item(e)),
    );
    // Group 1's actions are created, group 2's not yet, when the stop arrives.
    await fx.dispatch(undefined, 1);
    await lifecycle(rolloutStopping(rollout.rolloutId));
    await fx.run(groups.handleBatch, [fx.item(groupStarted(rollout.rolloutId, rollout.groups[0]))]);
    const outcomes = await fx.dispatch();

    expect(outcomes.every((o) => o.kind === 'cancel')).toBe(true);
    expect(await statuses(rollout.rolloutId)).toEqual(Array(3).fill('canceled'));
    for (const action of await fx.actions(rollout.rolloutId)) expect(await cancels(action.id)).toEqual([]);
    expect((await settlements(rollout.rolloutId)).stopped).toHaveLength(1);
    const { rows } = await fx.pool.query<{ n: number }>(
      `select count(*)::int as n from ${fx.schema}.dispatch_work where rollout_id = $1 and not done`,
      [rollout.rolloutId],
    );
    expect(rows[0].n).toBe(0);
  });

  it('forgets a removed rollout and one stopped before it started; keeps a stopped one that had started', async () => {
    const unstarted = rolloutOf([2]);
    const removed = rolloutOf([2]);
    await fx.run(
      rollouts.handleBatch,
      [unstarted.created, ...unstarted.members, removed.created, ...removed.members].map((e) => fx.item(e)),
    );
    const started = await underway([1]);
    await lifecycle(rolloutStopping(started.rolloutId));
    await fx.dispatch();
    const [action] = await fx.actions(started.rolloutId);
    await fx.run(devices.handleBatch, [report(action, 'CANCELED')]);

    const stoppedStarted = fx.item(rolloutStopped(started.rolloutId));
    const result = await fx.run(rollouts.handleBatch, [
      fx.item(rolloutStopped(unstarted.rolloutId)),
      fx.item(rolloutRemoved(removed.rolloutId)),
      stoppedStarted,
    ]);
    expect(result).toEqual({ rejected: [], ignored: [stoppedStarted.context.messageId] });
    const rowsOf = async (rolloutId: number) => {
      const { rows } = await fx.pool.query<{ n: number }>(
        `select (select count(*) from ${fx.schema}.rollouts where rollout_id = $1)
              + (select count(*) from ${fx.schema}.rollout_groups where rollout_id = $1)
              + (select count(*) from ${fx.schema}.group_members where rollout_id = $1) as n`,
        [rolloutId],
      );
      return Number(rows[0].n);
    };
    expect(await rowsOf(unstarted.rolloutId)).toBe(0);
    expect(await rowsOf(removed.rolloutId)).toBe(0);
    expect(await rowsOf(started.rolloutId)).toBe(3);
    expect(await statuses(started.rolloutId)).toEqual(['canceled']);
  });
});
