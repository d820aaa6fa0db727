import type {
  ActionsScheduledV1,
  ActionStatusChangedV1,
  DeviceInboundMessage,
  UpdateActionStatusMessage,
} from '@fleetwave/contracts';
import { actionStream, groupActionsStream } from './action-streams';
import { DeviceStatusConsumer } from './consumers/device-status.consumer';
import { GroupEventsConsumer } from './consumers/group-events.consumer';
import { RolloutEventsConsumer } from './consumers/rollout-events.consumer';
import { DispatchFixture, groupStarted, NOW, rolloutOf, rolloutStarted } from './testing/dispatch.fixture';

/** What action-dispatch tells reporting of each action: who it is when created, and what its device said. */
describe('action event payloads (real Postgres)', () => {
  const fx = new DispatchFixture();
  const rollouts = new RolloutEventsConsumer(fx.deps);
  const groups = new GroupEventsConsumer(fx.deps);
  const devices = new DeviceStatusConsumer(fx.deps);
  beforeAll(() => fx.setUp());
  afterAll(() => fx.dispose());

  const scheduledEvents = async (rolloutId: number, groupId: number) =>
    (await fx.events(groupActionsStream(rolloutId, groupId))).map((e) => e.data as ActionsScheduledV1);

  it('lists every created action on the ActionsScheduled events of its group, chunk by chunk', async () => {
    const rollout = rolloutOf([5, 2]);
    await fx.run(
      rollouts.handleBatch,
      [rollout.created, ...rollout.members, rolloutStarted(rollout.rolloutId)].map((e) => fx.item(e)),
    );
    await fx.dispatch({ create: 2, activate: 100 });
    // Once more: a chunk done again creates, and announces, nothing.
    await fx.dispatch({ create: 2, activate: 100 });

    const { rows } = await fx.pool.query<{ id: string; group_id: string; target_id: string; controller_id: string }>(
      `select id, group_id, target_id, controller_id from ${fx.schema}.actions where rollout_id = $1 order by id`,
      [rollout.rolloutId],
    );
    expect(rows).toHaveLength(7);
    for (const groupId of rollout.groups) {
      const events = await scheduledEvents(rollout.rolloutId, groupId);
      const created = rows
        .filter((row) => Number(row.group_id) === groupId)
        .map((row) => ({ actionId: Number(row.id), targetId: Number(row.target_id), controllerId: row.controller_id }));
      expect(events.flatMap((e) => e.actions)).toEqual(created);
      expect(events.map((e) => e.count)).toEqual(events.map((e) => e.actions?.length));
      expect(
        events.every((e) => e.scheduledAt === NOW && e.rolloutId === rollout.rolloutId && e.groupId === groupId),
      ).toBe(true);
    }
    // Chunks of two members: 3 events for the group of five, 1 for the group of two.
    expect((await scheduledEvents(rollout.rolloutId, rollout.groups[0])).length).toBe(3);
  });

  it('carries the messages and code of a status report on the status change it caused', async () => {
    const rollout = rolloutOf([2]);
    await fx.run(
      rollouts.handleBatch,
      [rollout.created, ...rollout.members, rolloutStarted(rollout.rolloutId)].map((e) => fx.item(e)),
    );
    await fx.run(groups.handleBatch, [fx.item(groupStarted(rollout.rolloutId, rollout.groups[0]))]);
    await fx.dispatch();
    const [first, second] = await fx.actions(rollout.rolloutId);
    const report = (action: typeof first, extra: Partial<UpdateActionStatusMessage>) =>
      fx.item<DeviceInboundMessage>({
        type: 'UPDATE_ACTION_STATUS',
        controllerId: action.controller,
        actionId: action.id,
        status: 'DOWNLOAD',
        ...extra,
      });

    await fx.run(devices.handleBatch, [
      report(first, { messages: ['fetching 1 of 2'], code: 102 }),
      report(first, { status: 'ERROR', messages: ['checksum mismatch'], code: 0 }),
      report(second, { status: 'FINISHED', messages: [] }),
    ]);

    const changes = async (actionId: number) =>
      (await fx.events(actionStream(actionId)))
        .filter((e) => e.type === 'ActionStatusChanged.v1')
        .map((e) => e.data as ActionStatusChangedV1)
        .map(({ to, messages, code }) => ({ to, messages, code }));
    expect(await changes(first.id)).toEqual([
      { to: 'running', messages: undefined, code: undefined },
      { to: 'download', messages: ['fetching 1 of 2'], code: 102 },
      { to: 'error', messages: ['checksum mismatch'], code: 0 },
    ]);
    expect(await changes(second.id)).toEqual([
      { to: 'running', messages: undefined, code: undefined },
      { to: 'finished', messages: undefined, code: undefined },
    ]);
  });
});
