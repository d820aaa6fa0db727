import type { DownloadAndInstallMessage, RolloutCreatedV1 } from '@fleetwave/contracts';
import type { Envelope } from '@fleetwave/service-kit';
import { actionStream } from './action-streams';
import { DispatchFixture, freshId } from './testing/dispatch.fixture';
import { rolloutOver, TakeoverDriver, targets } from './testing/takeover.fixture';

describe('instructions: confirmation flow and action types (real Postgres)', () => {
  const fx = new DispatchFixture();
  const driver = new TakeoverDriver(fx);
  beforeAll(() => fx.setUp());
  afterAll(() => fx.dispose());

  it('asks the device to confirm, sends nothing more on DENIED, and instructs once on CONFIRMED', async () => {
    const rollout = rolloutOver([targets(2)], { setId: 80, confirmationRequired: true });
    await driver.start(rollout, true);
    await driver.startGroup(rollout);
    const [first, second] = await fx.actions(rollout.rolloutId);
    expect(await driver.actions(rollout.rolloutId)).toEqual([
      expect.objectContaining({ status: 'wait_for_confirmation', messages: ['CONFIRM'] }),
      expect.objectContaining({ status: 'wait_for_confirmation', messages: ['CONFIRM'] }),
    ]);
    const request = (await fx.events(actionStream(first.id))).find((e) => e.type === 'DeviceMessageRequested.v1');
    expect(request?.data).toMatchObject({
      type: 'CONFIRM',
      controllerId: first.controller,
      actionId: first.id,
      rolloutId: rollout.rolloutId,
      groupId: rollout.groups[0],
      distributionSet: { id: 80, name: 'fw', version: '2.0' },
    });

    const denied = await driver.report([
      { id: first.id, controller: first.controller, status: 'DENIED' },
      { id: first.id, controller: first.controller, status: 'DENIED' },
    ]);
    expect(denied).toEqual(expect.objectContaining({ rejected: [] }));
    expect((denied as { ignored: string[] }).ignored).toHaveLength(2);
    expect(await driver.history(first.id)).toEqual({
      changes: ['scheduled->wait_for_confirmation'],
      messages: ['CONFIRM'],
    });

    await driver.report([
      { id: first.id, controller: first.controller, status: 'CONFIRMED' },
      { id: second.id, controller: second.controller, status: 'RUNNING' },
    ]);
    expect(await driver.actions(rollout.rolloutId)).toEqual([
      expect.objectContaining({
        status: 'running',
        changes: ['scheduled->wait_for_confirmation', 'wait_for_confirmation->running'],
        messages: ['CONFIRM', 'DOWNLOAD_AND_INSTALL'],
      }),
      expect.objectContaining({ status: 'wait_for_confirmation', messages: ['CONFIRM'] }),
    ]);
    const instruction = (await fx.events(actionStream(first.id))).find(
      (e) => e.type === 'DeviceMessageRequested.v1' && (e.data as { type: string }).type === 'DOWNLOAD_AND_INSTALL',
    );
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
      messages: ['CONFIRM', 'DOWNLOAD_AND_INSTALL'],
    });
  });

  it('runs a group that requires confirmation at once when the confirmation flow was off at the start', async () => {
    const rollout = rolloutOver([targets(2), targets(1)], { setId: 84, confirmationRequired: true });
    await driver.start(rollout, false);
    await driver.startGroup(rollout, 0);
    await driver.startGroup(rollout, 1);
    expect(await driver.actions(rollout.rolloutId)).toEqual([
      expect.objectContaining({
        status: 'running',
        changes: ['scheduled->running'],
        messages: ['DOWNLOAD_AND_INSTALL'],
      }),
      expect.objectContaining({
        status: 'running',
        changes: ['scheduled->running'],
        messages: ['DOWNLOAD_AND_INSTALL'],
      }),
      expect.objectContaining({
        status: 'running',
        changes: ['scheduled->running'],
        messages: ['DOWNLOAD_AND_INSTALL'],
      }),
    ]);
    // A CONFIRMED from a device that was never asked changes nothing.
    const [first] = await fx.actions(rollout.rolloutId);
    await driver.report([{ id: first.id, controller: first.controller, status: 'CONFIRMED' }]);
    expect(await driver.history(first.id)).toEqual({
      changes: ['scheduled->running'],
      messages: ['DOWNLOAD_AND_INSTALL'],
    });
  });

  it('keeps the flow off for a group added after the start (a dynamic rollout taking in targets)', async () => {
    const rollout = rolloutOver([targets(1)], { setId: 88, confirmationRequired: true });
    await driver.start(rollout, false);
    const [first] = (rollout.events[0].data as RolloutCreatedV1).groups;
    const next = { ...first, groupId: freshId(), index: 2, confirmationRequired: true };
    const added: Envelope[] = [
      { type: 'RolloutGroupAdded.v1', data: { rolloutId: rollout.rolloutId, group: next, addedAt: 1 } },
      {
        type: 'RolloutGroupMembersAssigned.v1',
        data: { rolloutId: rollout.rolloutId, groupId: next.groupId, chunk: 0, members: targets(2) },
      },
    ];
    await fx.run(
      driver.rollouts.handleBatch,
      added.map((e) => fx.item(e)),
    );
    await fx.dispatch();
    await driver.startGroup({ rolloutId: rollout.rolloutId, groups: [first.groupId, next.groupId] }, 1);
    // Group 1 never started here: its action is still scheduled; the added group's two run.
    expect(await driver.actions(rollout.rolloutId)).toEqual([
      expect.objectContaining({ status: 'scheduled', messages: [] }),
      expect.objectContaining({ status: 'running', messages: ['DOWNLOAD_AND_INSTALL'] }),
      expect.objectContaining({ status: 'running', messages: ['DOWNLOAD_AND_INSTALL'] }),
    ]);
  });

  it('leaves it to the group when the start does not tell the setting (older events)', async () => {
    const asking = rolloutOver([targets(1)], { setId: 85, confirmationRequired: true });
    const plain = rolloutOver([targets(1)], { setId: 86, confirmationRequired: false });
    for (const rollout of [asking, plain]) {
      await driver.start(rollout);
      await driver.startGroup(rollout);
    }
    expect(await driver.actions(asking.rolloutId)).toEqual([
      expect.objectContaining({ status: 'wait_for_confirmation', messages: ['CONFIRM'] }),
    ]);
    expect(await driver.actions(plain.rolloutId)).toEqual([
      expect.objectContaining({ status: 'running', messages: ['DOWNLOAD_AND_INSTALL'] }),
    ]);
  });

  it('does not ask a group that does not require confirmation, even with the flow on', async () => {
    const rollout = rolloutOver([targets(1)], { setId: 87, confirmationRequired: false });
    await driver.start(rollout, true);
    await driver.startGroup(rollout);
    expect(await driver.actions(rollout.rolloutId)).toEqual([
      expect.objectContaining({ status: 'running', messages: ['DOWNLOAD_AND_INSTALL'] }),
    ]);
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
