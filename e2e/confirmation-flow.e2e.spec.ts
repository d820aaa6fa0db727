import { eventually, sendDeviceMessages, statusReport, uniqueName, type RolloutView } from '@fleetwave/testing';
import { Topics } from '@fleetwave/contracts';
import { DeviceTopics, instructionProblems, sentPerDevice } from './testing/device-topics';
import { admin, command, createReadyRollout, fleet, groupStatuses, untilStatus } from './testing/rollout-steps';

/**
 * The confirmation flow through REST and the device topics: with the tenant setting
 * user.confirmation.flow.enabled on when the rollout starts, a group that requires confirmation
 * asks its devices (CONFIRM); CONFIRMED moves an action on (its instruction is sent once),
 * DENIED leaves it waiting (hawkBit's semantics: it may still be confirmed later). With the
 * setting off at the start, the same group runs at once.
 */
const setting = '/system/configs/user.confirmation.flow.enabled';
const topics = new DeviceTopics();
const controllerIds = async (prefix: string): Promise<string[]> =>
  (
    await admin.expect<{ content: { controllerId: string }[] }>(
      200,
      'GET',
      `/targets?limit=500&sort=controllerId:ASC&q=${encodeURIComponent(`controllerId==${prefix}-*`)}`,
    )
  ).content.map((t) => t.controllerId);

const counts = (view: RolloutView) => view.totalTargetsPerStatus;
const untilCounts = (id: number, wanted: Partial<RolloutView['totalTargetsPerStatus']>, description: string) =>
  eventually(
    async () => {
      const view = await admin.rollout(id);
      expect(counts(view)).toEqual({
        running: 0,
        notstarted: 0,
        scheduled: 0,
        cancelled: 0,
        finished: 0,
        error: 0,
        ...wanted,
      });
      return view;
    },
    { timeoutMs: 60_000, intervalMs: 200, description },
  );

beforeAll(() => topics.connect());
afterAll(async () => {
  // The setting is the tenant's: put it back to its default for every later test.
  await admin.call('DELETE', setting);
  await topics.disconnect();
});

describe('confirmation flow', () => {
  it('asks the devices at a start with the flow on: confirmed actions run, denied ones keep waiting', async () => {
    const prefix = uniqueName('confirm');
    await fleet(prefix, ['confirm', 3], ['deny', 2]);
    const [yes1, yes2, yes3, no1, no2] = await controllerIds(prefix);
    // Created with the flow off: the value at the start decides.
    await admin.expect(204, 'DELETE', setting);
    const id = await createReadyRollout(prefix, {
      amountGroups: 1,
      confirmationRequired: true,
      successCondition: { condition: 'THRESHOLD', expression: 100 },
    });
    await admin.expect(200, 'PUT', setting, { value: true });
    const outboundFrom = await topics.ends(Topics.deviceOutbound);
    const inboundFrom = await topics.ends(Topics.deviceInbound);
    expect((await command(id, 'start')).status).toBe(204);

    // Waiting for confirmation counts as running (SPEC's totalTargetsPerStatus).
    await untilCounts(id, { finished: 3, running: 2 }, 'confirmed devices finished, denied ones waiting');
    expect(await groupStatuses(id)).toEqual(['running']);
    expect((await admin.rollout(id)).status).toBe('running');
    // The denials are on the topic; once the services consumed them, nothing has moved.
    await eventually(
      async () => {
        const reports = await topics.reportsOf(prefix, inboundFrom);
        expect(reports.filter((r) => r.status === 'DENIED').map((r) => r.controllerId)).toEqual(
          expect.arrayContaining([no1, no2]),
        );
      },
      { timeoutMs: 30_000, description: 'denials reported' },
    );
    await topics.untilConsumed();
    expect(counts(await admin.rollout(id))).toMatchObject({ finished: 3, running: 2, error: 0, cancelled: 0 });

    const sent = await topics.outboundOf(id, outboundFrom);
    const asked = sentPerDevice(sent, 'CONFIRM');
    expect([...asked.keys()].sort()).toEqual([yes1, yes2, yes3, no1, no2].sort());
    expect([...asked.values()].every((actions) => actions.length === 1)).toBe(true);
    expect(instructionProblems(sent, [yes1, yes2, yes3])).toEqual({});

    // A denied action may still be confirmed: the device confirms it (twice), it runs, and is
    // instructed once; the other denied one keeps waiting.
    const [deniedAction] = asked.get(no1) ?? [];
    const producer = topics.kafka.producer();
    await producer.connect();
    try {
      const confirmed = statusReport(no1, deniedAction, 'CONFIRMED');
      await sendDeviceMessages(producer, [confirmed, confirmed]);
    } finally {
      await producer.disconnect();
    }
    await untilCounts(id, { finished: 4, running: 1 }, 'the late confirmation finished');
    await topics.untilConsumed();
    const after = await topics.outboundOf(id, outboundFrom);
    expect(instructionProblems(after, [yes1, yes2, yes3, no1])).toEqual({});
    expect(counts(await admin.rollout(id))).toMatchObject({ finished: 4, running: 1 });

    // Stopping cancels the action still waiting: its device is told and confirms the cancel.
    expect((await command(id, 'stop')).status).toBe(204);
    const stopped = await untilStatus(id, 'stopped');
    expect(counts(stopped)).toEqual({ running: 0, notstarted: 0, scheduled: 0, cancelled: 1, finished: 4, error: 0 });
  });

  it('runs a group that requires confirmation at once when the flow is off at the start', async () => {
    const prefix = uniqueName('noconfirm');
    await fleet(prefix, ['deny', 3]);
    const devices = await controllerIds(prefix);
    await admin.expect(200, 'PUT', setting, { value: true });
    const id = await createReadyRollout(prefix, {
      amountGroups: 1,
      confirmationRequired: true,
      successCondition: { condition: 'THRESHOLD', expression: 100 },
    });
    await admin.expect(204, 'DELETE', setting);
    const outboundFrom = await topics.ends(Topics.deviceOutbound);
    expect((await command(id, 'start')).status).toBe(204);

    const finished = await untilStatus(id, 'finished');
    expect(counts(finished)).toEqual({ running: 0, notstarted: 0, scheduled: 0, cancelled: 0, finished: 3, error: 0 });
    const sent = await topics.outboundOf(id, outboundFrom);
    expect(sentPerDevice(sent, 'CONFIRM').size).toBe(0);
    expect(instructionProblems(sent, devices)).toEqual({});
  });
});
