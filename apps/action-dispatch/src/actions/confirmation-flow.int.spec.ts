import type { DownloadAndInstallMessage } from '@fleetwave/contracts';
import { actionStream } from './action-streams';
import { DispatchFixture } from './testing/dispatch.fixture';
import { rolloutOver, TakeoverDriver, targets } from './testing/takeover.fixture';

describe('instructions: confirmation flow and action types (real Postgres)', () => {
  const fx = new DispatchFixture();
  const driver = new TakeoverDriver(fx);
  beforeAll(() => fx.setUp());
  afterAll(() => fx.dispose());

  it('waits for the device to confirm, sends nothing on DENIED, and instructs once on CONFIRMED', async () => {
    const rollout = rolloutOver([targets(2)], { setId: 80, confirmationRequired: true });
    await driver.start(rollout);
    await driver.startGroup(rollout);
    const [first, second] = await fx.actions(rollout.rolloutId);
    expect(await driver.actions(rollout.rolloutId)).toEqual([
      expect.objectContaining({ status: 'wait_for_confirmation', messages: [] }),
      expect.objectContaining({ status: 'wait_for_confirmation', messages: [] }),
    ]);

    const denied = await driver.report([{ id: first.id, controller: first.controller, status: 'DENIED' }]);
    expect(denied).toEqual(expect.objectContaining({ rejected: [] }));
    expect((denied as { ignored: string[] }).ignored).toHaveLength(1);
    expect(await driver.history(first.id)).toEqual({ changes: ['scheduled->wait_for_confirmation'], messages: [] });

    await driver.report([
      { id: first.id, controller: first.controller, status: 'CONFIRMED' },
      { id: second.id, controller: second.controller, status: 'RUNNING' },
    ]);
    expect(await driver.actions(rollout.rolloutId)).toEqual([
      expect.objectContaining({
        status: 'running',
        changes: ['scheduled->wait_for_confirmation', 'wait_for_confirmation->running'],
        messages: ['DOWNLOAD_AND_INSTALL'],
      }),
      expect.objectContaining({ status: 'wait_for_confirmation', messages: [] }),
    ]);
    const instruction = (await fx.events(actionStream(first.id))).find((e) => e.type === 'DeviceMessageRequested.v1');
    expect(instruction?.data).toMatchObject<Partial<DownloadAndInstallMessage>>({
      controllerId: first.controller,
      actionId: first.id,
      rolloutId: rollout.rolloutId,
      groupId: rollout.groups[0],
      distributionSet: { id: 80, name: 'fw', version: '2.0' },
    });

    // A redelivered confirmation, then the device's progress, moves it on without a second instruction.
    await driver.report([
      { id: first.id, controller: first.controller, status: 'CONFIRMED' },
      { id: first.id, controller: first.controller, status: 'FINISHED' },
    ]);
    expect(await driver.history(first.id)).toEqual({
      changes: ['scheduled->wait_for_confirmation', 'wait_for_confirmation->running', 'running->finished'],
      messages: ['DOWNLOAD_AND_INSTALL'],
    });
  });

  it('starts a group without confirmation at once', async () => {
    const rollout = rolloutOver([targets(1)], { setId: 81, confirmationRequired: false });
    await driver.start(rollout);
    await driver.startGroup(rollout);
    expect(await driver.actions(rollout.rolloutId)).toEqual([
      expect.objectContaining({ status: 'running', messages: ['DOWNLOAD_AND_INSTALL'] }),
    ]);
  });

  it('carries the action type and force time into the instruction; download-only devices are told to download', async () => {
    const forceTime = 1_800_000_000_000;
    const timed = rolloutOver([targets(1)], { setId: 82, actionType: 'timeforced', forceTime });
    const downloadOnly = rolloutOver([targets(1)], { setId: 83, actionType: 'downloadonly' });
    for (const rollout of [timed, downloadOnly]) {
      await driver.start(rollout);
      await driver.startGroup(rollout);
    }
    const instructionOf = async (rolloutId: number) => {
      const [action] = await fx.actions(rolloutId);
      const events = await fx.events(actionStream(action.id));
      return events.find((e) => e.type === 'DeviceMessageRequested.v1')?.data as DownloadAndInstallMessage;
    };

    expect(await instructionOf(timed.rolloutId)).toMatchObject({
      type: 'DOWNLOAD_AND_INSTALL',
      actionType: 'timeforced',
      forceTime,
      weight: 500,
    });
    const download = await instructionOf(downloadOnly.rolloutId);
    expect(download).toMatchObject({ type: 'DOWNLOAD', actionType: 'downloadonly' });
    expect(download.forceTime).toBeUndefined();
  });
});
