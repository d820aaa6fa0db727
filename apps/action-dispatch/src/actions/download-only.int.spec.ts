import { DeviceStatusConsumer } from './consumers/device-status.consumer';
import { DispatchFixture, NOW, rolloutStopping } from './testing/dispatch.fixture';
import { EndingProbe } from './testing/ending.fixture';

describe('download-only actions end when downloaded (real Postgres)', () => {
  const fx = new DispatchFixture();
  const { lifecycle, report, statuses, settlements, cancels, transitions, underway } = new EndingProbe(fx);
  const devices = new DeviceStatusConsumer(fx.deps);
  beforeAll(() => fx.setUp());
  afterAll(() => fx.dispose());

  const stopped = (rolloutId: number) => [
    ['RolloutActionsSettled.v1', { rolloutId, reason: 'STOPPED', settledAt: NOW }],
  ];

  it('closes a download-only action as finished on DOWNLOADED, and a repeat changes nothing', async () => {
    const rollout = await underway([2], 'downloadonly');
    const [a1, a2] = await fx.actions(rollout.rolloutId);

    await fx.run(devices.handleBatch, [report(a1, 'DOWNLOAD'), report(a1, 'DOWNLOADED'), report(a2, 'DOWNLOADED')]);
    expect(await statuses(rollout.rolloutId)).toEqual(['finished', 'finished']);
    expect(await transitions(a1.id)).toEqual(['scheduled->running', 'running->download', 'download->finished']);
    expect(await transitions(a2.id)).toEqual(['scheduled->running', 'running->finished']);

    const again = [report(a1, 'DOWNLOADED'), report(a2, 'FINISHED')];
    expect(await fx.run(devices.handleBatch, again)).toEqual({
      rejected: [],
      ignored: again.map((i) => i.context.messageId),
    });
    expect(await transitions(a2.id)).toEqual(['scheduled->running', 'running->finished']);
  });

  it('keeps DOWNLOADED non-final for an action that still installs', async () => {
    const rollout = await underway([1], 'forced');
    const [action] = await fx.actions(rollout.rolloutId);
    await fx.run(devices.handleBatch, [report(action, 'DOWNLOADED')]);
    expect(await statuses(rollout.rolloutId)).toEqual(['downloaded']);

    // Stopped, it waits for its device like any active action.
    await lifecycle(rolloutStopping(rollout.rolloutId));
    await fx.dispatch();
    expect(await statuses(rollout.rolloutId)).toEqual(['canceling']);
    expect(await cancels(action.id)).toHaveLength(1);
    expect(await settlements(rollout.rolloutId)).toEqual({ stopped: [], deleted: [] });
  });

  it('a stop settles at once when every active device has downloaded: none is asked to cancel', async () => {
    const rollout = await underway([2, 2], 'downloadonly');
    const [a1, a2] = await fx.actions(rollout.rolloutId);
    await fx.run(devices.handleBatch, [report(a1, 'DOWNLOADED'), report(a2, 'DOWNLOADED')]);

    await lifecycle(rolloutStopping(rollout.rolloutId));
    await fx.dispatch();

    expect(await statuses(rollout.rolloutId)).toEqual(['finished', 'finished', 'canceled', 'canceled']);
    expect([...(await cancels(a1.id)), ...(await cancels(a2.id))]).toEqual([]);
    expect(await settlements(rollout.rolloutId)).toEqual({ stopped: stopped(rollout.rolloutId), deleted: [] });
  });

  it('a stop waits only for devices still downloading; DOWNLOADED while canceling ends and settles it', async () => {
    const rollout = await underway([2], 'downloadonly');
    const [done, busy] = await fx.actions(rollout.rolloutId);
    await fx.run(devices.handleBatch, [report(done, 'DOWNLOADED'), report(busy, 'DOWNLOAD')]);

    await lifecycle(rolloutStopping(rollout.rolloutId));
    await fx.dispatch();
    expect(await statuses(rollout.rolloutId)).toEqual(['finished', 'canceling']);
    expect(await settlements(rollout.rolloutId)).toEqual({ stopped: [], deleted: [] });

    // The device finished its download before it saw the cancel: the action ends as finished.
    await fx.run(devices.handleBatch, [report(busy, 'DOWNLOADED')]);
    expect(await statuses(rollout.rolloutId)).toEqual(['finished', 'finished']);
    expect(await transitions(busy.id)).toEqual([
      'scheduled->running',
      'running->download',
      'download->canceling',
      'canceling->finished',
    ]);
    expect(await settlements(rollout.rolloutId)).toEqual({ stopped: stopped(rollout.rolloutId), deleted: [] });
  });
});
