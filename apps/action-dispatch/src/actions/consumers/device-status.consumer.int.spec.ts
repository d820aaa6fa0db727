import type { ActionStatusChangedV1, DeviceActionStatus, DeviceInboundMessage } from '@fleetwave/contracts';
import { actionStream } from '../action-streams';
import { DispatchFixture, groupStarted, rolloutOf, rolloutStarted } from '../testing/dispatch.fixture';
import { DeviceStatusConsumer } from './device-status.consumer';
import { GroupEventsConsumer } from './group-events.consumer';
import { RolloutEventsConsumer } from './rollout-events.consumer';

describe('DeviceStatusConsumer batch (real Postgres)', () => {
  const fx = new DispatchFixture();
  const rollouts = new RolloutEventsConsumer(fx.deps);
  const groups = new GroupEventsConsumer(fx.deps);
  const devices = new DeviceStatusConsumer(fx.deps);
  beforeAll(() => fx.setUp());
  afterAll(() => fx.dispose());

  /** A started rollout with one started group of `size` running actions. */
  async function runningActions(size: number) {
    const rollout = rolloutOf([size]);
    await fx.run(
      rollouts.handleBatch,
      [rollout.created, ...rollout.members, rolloutStarted(rollout.rolloutId)].map((e) => fx.item(e)),
    );
    await fx.run(groups.handleBatch, [fx.item(groupStarted(rollout.rolloutId, rollout.groups[0]))]);
    await fx.dispatch();
    const actions = await fx.actions(rollout.rolloutId);
    return { rolloutId: rollout.rolloutId, actions };
  }

  const report = (action: { id: number; controller: string }, status: DeviceActionStatus, timestamp?: number) =>
    fx.item<DeviceInboundMessage>({
      type: 'UPDATE_ACTION_STATUS',
      controllerId: action.controller,
      actionId: action.id,
      status,
      timestamp,
    });

  const changes = async (actionId: number) =>
    (await fx.events(actionStream(actionId)))
      .filter((e) => e.type === 'ActionStatusChanged.v1')
      .map((e) => {
        const { from, to } = e.data as ActionStatusChangedV1;
        return `${e.revision}:${from}->${to}`;
      });

  it('folds several reports for one action in Kafka order into one append and one row update', async () => {
    const {
      rolloutId,
      actions: [action],
    } = await runningActions(1);
    const batch = [report(action, 'RUNNING'), report(action, 'DOWNLOAD', 11), report(action, 'FINISHED', 12)];

    const result = await fx.run(devices.handleBatch, batch);

    expect(result).toEqual({ rejected: [], ignored: [batch[0].context.messageId] });
    expect(await changes(action.id)).toEqual(['0:scheduled->running', '2:running->download', '3:download->finished']);
    const events = await fx.events(actionStream(action.id));
    expect(events.map((e) => e.revision)).toEqual([0, 1, 2, 3]);
    expect((events[2].data as ActionStatusChangedV1).at).toBe(11);
    expect(events[3].metadata.causationId).toBe(batch[2].context.messageId);
    expect(await fx.actions(rolloutId)).toEqual([{ ...action, status: 'finished', revision: 3 }]);
  });

  it('rejects unknown actions and reports from a foreign device while the rest of the batch applies', async () => {
    const {
      rolloutId,
      actions: [first, second],
    } = await runningActions(2);
    const unknown = report({ id: second.id + 1_000_000, controller: second.controller }, 'FINISHED');
    const foreign = report({ id: first.id, controller: second.controller }, 'ERROR');
    const good = [report(first, 'FINISHED'), report(second, 'ERROR')];

    const result = await fx.run(devices.handleBatch, [unknown, good[0], foreign, good[1]]);

    expect(result).toEqual({
      ignored: [],
      rejected: [
        { messageId: unknown.context.messageId, reason: `unknown action ${second.id + 1_000_000}` },
        {
          messageId: foreign.context.messageId,
          reason: `action ${first.id} does not belong to device ${second.controller}`,
        },
      ],
    });
    expect(await changes(first.id)).toEqual(['0:scheduled->running', '2:running->finished']);
    expect(await changes(second.id)).toEqual(['0:scheduled->running', '2:running->error']);
    expect((await fx.actions(rolloutId)).map((a) => [a.status, a.revision])).toEqual([
      ['finished', 2],
      ['error', 2],
    ]);
  });

  it('ignores a redelivered final report (new message id, same content): no event, no revision change', async () => {
    const {
      rolloutId,
      actions: [action],
    } = await runningActions(1);
    await fx.run(devices.handleBatch, [report(action, 'FINISHED')]);
    const again = [report(action, 'FINISHED'), report(action, 'RUNNING')];

    const result = await fx.run(devices.handleBatch, again);

    expect(result).toEqual({ rejected: [], ignored: again.map((i) => i.context.messageId) });
    expect(await changes(action.id)).toEqual(['0:scheduled->running', '2:running->finished']);
    expect((await fx.actions(rolloutId))[0]).toMatchObject({ status: 'finished', revision: 2 });
  });

  it('rejects an action id beyond the exact integer range without failing the batch', async () => {
    const {
      rolloutId,
      actions: [action],
    } = await runningActions(1);
    const huge = report({ id: 1e20, controller: action.controller }, 'FINISHED');
    const result = await fx.run(devices.handleBatch, [huge, report(action, 'FINISHED')]);
    expect(result).toEqual({
      ignored: [],
      rejected: [{ messageId: huge.context.messageId, reason: 'actionId out of range' }],
    });
    expect((await fx.actions(rolloutId))[0].status).toBe('finished');
  });
});
