import { Topics } from '@fleetwave/contracts';
import { killService, pollRollout, runScript, settledCount, uniqueName, type ServiceName } from '@fleetwave/testing';
import { DeviceTopics, instructionProblems } from './testing/device-topics';
import { admin, createReadyRollout, fleet, groupStatuses } from './testing/rollout-steps';

/**
 * Each consumer service killed with SIGKILL in the middle of a rollout (some actions settled,
 * not all) and restarted with scripts/cluster.sh: the rollout still finishes with exact counts,
 * every device got exactly one instruction, and the targets are exactly the fleet. Nothing is
 * flushed on the way down, so whatever the service had consumed but not committed is delivered
 * again and must change nothing.
 */
const DEVICES = 45;
const topics = new DeviceTopics();

beforeAll(() => topics.connect());
afterAll(() => topics.disconnect());

const controllerIds = async (prefix: string): Promise<string[]> =>
  (
    await admin.expect<{ content: { controllerId: string }[] }>(
      200,
      'GET',
      `/targets?limit=500&q=${encodeURIComponent(`controllerId==${prefix}-*`)}`,
    )
  ).content.map((t) => t.controllerId);

const services: ServiceName[] = [
  'rollout-command',
  'group-orchestrator',
  'action-dispatch',
  'reporting',
  'device-simulator',
];

describe('a consumer service killed with SIGKILL mid-rollout', () => {
  it.each(services)('%s: the rollout finishes with exact counts and one instruction per device', async (service) => {
    const prefix = uniqueName('kill');
    await fleet(prefix, ['succeed', DEVICES]);
    const devices = await controllerIds(prefix);
    const id = await createReadyRollout(prefix, {
      amountGroups: 3,
      successCondition: { condition: 'THRESHOLD', expression: 100 },
    });
    const outboundFrom = await topics.ends(Topics.deviceOutbound);
    await admin.expect(204, 'POST', `/rollouts/${id}/start`);

    // Mid-rollout: the first actions have settled, the rollout is far from done.
    const before = await pollRollout(admin, id, (v) => settledCount(v) >= DEVICES / 5, {
      timeoutMs: 60_000,
      intervalMs: 20,
    });
    expect(settledCount(before)).toBeLessThan(DEVICES);
    await killService(service);
    await runScript('cluster', ['restart', service]);

    const finished = await pollRollout(admin, id, (v) => v.status === 'finished', {
      timeoutMs: 120_000,
      intervalMs: 250,
    });
    expect([finished.totalTargets, finished.totalTargetsPerStatus]).toEqual([
      DEVICES,
      { running: 0, notstarted: 0, scheduled: 0, cancelled: 0, finished: DEVICES, error: 0 },
    ]);
    expect(await groupStatuses(id)).toEqual(['finished', 'finished', 'finished']);
    const groups = await admin.deployGroups(id);
    expect(groups.reduce((sum, g) => sum + g.totalTargetsPerStatus.finished, 0)).toBe(DEVICES);
    await topics.untilConsumed();
    expect(await admin.countTargets(`controllerId==${prefix}-*`)).toBe(DEVICES);
    expect(instructionProblems(await topics.outboundOf(id, outboundFrom), devices)).toEqual({});
  });
});
