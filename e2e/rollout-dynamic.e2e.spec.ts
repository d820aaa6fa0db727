import { Topics } from '@fleetwave/contracts';
import { eventually, uniqueName, type GroupView } from '@fleetwave/testing';
import { DeviceTopics, instructionProblems } from './testing/device-topics';
import { admin, createReadyRollout, fleet, untilStatus } from './testing/rollout-steps';

/**
 * Dynamic rollouts through REST, the simulator and the device topics only: after its static
 * groups, a dynamic rollout keeps taking in matching devices as they register, in groups of the
 * template's `targetCount`, none while it is paused, and it runs until it is stopped.
 */

const topics = new DeviceTopics();
beforeAll(() => topics.connect());
afterAll(() => topics.disconnect());

/** Registers `count` succeeding devices `<prefix>-<run>…` and waits until their targets exist. */
async function register(prefix: string, run: string, count: number, expectedTotal: number): Promise<void> {
  await admin.registerDevices(`${prefix}-${run}`, count, 'succeed');
  await eventually(async () => expect(await admin.countTargets(`controllerId==${prefix}-*`)).toBe(expectedTotal), {
    timeoutMs: 60_000,
    description: `registration of ${prefix} ${run}`,
  });
}

const shape = (groups: GroupView[]) => groups.map((g) => [g.status, g.totalTargets, g.totalTargetsPerStatus.finished]);

const untilGroupShape = (id: number, expected: (string | number)[][], timeoutMs = 60_000) =>
  eventually(async () => expect(shape(await admin.deployGroups(id))).toEqual(expected), {
    timeoutMs,
    intervalMs: 250,
    description: `rollout ${id} groups ${JSON.stringify(expected)}`,
  });

describe('dynamic rollouts', () => {
  it('takes in devices registered after the start, none while paused, and adds a group when one is full', async () => {
    const prefix = uniqueName('dynamic');
    const outboundFrom = await topics.ends(Topics.deviceOutbound);
    await fleet(prefix, ['succeed', 2]);
    const id = await createReadyRollout(prefix, {
      amountGroups: 1,
      dynamic: true,
      dynamicGroupTemplate: { nameSuffix: '-dyn', targetCount: 3 },
      successCondition: { condition: 'THRESHOLD', expression: '50' },
    });
    await admin.expect(204, 'POST', `/rollouts/${id}/start`);

    // The static group finishes and the first dynamic group runs, empty so far.
    await untilGroupShape(id, [
      ['finished', 2, 2],
      ['running', 0, 0],
    ]);

    // Devices registered after the start join the running dynamic group and are updated.
    await register(prefix, 'late', 2, 4);
    await untilGroupShape(id, [
      ['finished', 2, 2],
      ['running', 2, 2],
    ]);

    // While paused, new devices are left out, through the intake sweeps that pass meanwhile.
    await admin.expect(204, 'POST', `/rollouts/${id}/pause`);
    await untilStatus(id, 'paused');
    await register(prefix, 'paused', 2, 6);
    await topics.untilConsumed(['rollout-command', 'group-orchestrator', 'action-dispatch', 'reporting']);
    for (let sweep = 0; sweep < 8; sweep++) {
      expect((await admin.rollout(id)).totalTargets).toBe(4);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }

    // On resume they are taken in: the first dynamic group fills up (3) and a second one takes the rest.
    await admin.expect(204, 'POST', `/rollouts/${id}/resume`);
    await untilGroupShape(id, [
      ['finished', 2, 2],
      ['finished', 3, 3],
      ['running', 1, 1],
    ]);
    const running = await untilStatus(id, 'running');
    expect(running.totalTargets).toBe(6);
    expect(running.totalTargetsPerStatus).toEqual({
      running: 0,
      notstarted: 0,
      scheduled: 0,
      cancelled: 0,
      finished: 6,
      error: 0,
    });

    // Each device got exactly one instruction; the rollout runs until it is stopped.
    const devices = (
      await admin.expect<{ content: { controllerId: string }[] }>(
        200,
        'GET',
        `/targets?limit=50&q=${encodeURIComponent(`controllerId==${prefix}-*`)}`,
      )
    ).content.map((t) => t.controllerId);
    expect(devices).toHaveLength(6);
    expect(instructionProblems(await topics.outboundOf(id, outboundFrom), devices)).toEqual({});
    await admin.expect(204, 'POST', `/rollouts/${id}/stop`);
    await untilStatus(id, 'stopped');
  });
});
