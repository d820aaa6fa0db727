import { Topics } from '@fleetwave/contracts';
import {
  checkActions,
  checkFinalCounts,
  checkInstructions,
  createRollout,
  pollRollout,
  readTopicRange,
  serviceNames,
  settledCount,
  topicEndOffsets,
  uniqueName,
  type CheckResult,
  type ServiceName,
} from '@fleetwave/testing';
import { badDeviceMessagesChecks } from './bad-device-messages';
import { badRequestChecks } from './bad-rest-requests';
import { guarded, type ChaosCase } from './case-report';
import { clusterKeepsGoing } from './cluster-liveness';
import { sendDeviceMessages, thingCreated, UnrulyConnector } from './device-connector';
import { kafkaKill, postgresImmediateStop, postmasterKill, serviceKill, type Fault } from './faults';
import { rolloutUnderFaults, type ChaosEnv, type InjectionPoint } from './rollout-under-fault';

export interface SuiteOptions {
  devices: number;
  groups: number;
  /** Faults per rollout in the service-kill cases. */
  kills: number;
  random: () => number;
}

/** The quick subset kills these; the full suite kills every service. */
const quickServices: ServiceName[] = ['action-dispatch', 'group-orchestrator'];

/** Random points in the rollout: fractions of settled actions below 0.85, plus creation for rollout-command. */
function points(count: number, random: () => number, withCreation: boolean): InjectionPoint[] {
  const fractions = Array.from({ length: count }, () => Number((random() * 0.85).toFixed(3)));
  return withCreation ? ['creation', ...fractions.slice(1)] : fractions;
}

/** Every case of the suite in the order it runs: bad input last, since what it breaks may stay broken. */
export function chaosCases(env: ChaosEnv, options: SuiteOptions): ChaosCase[] {
  const underFaults =
    (fault: () => Fault, count: number, withCreation = false) =>
    async () => {
      const injections = points(count, options.random, withCreation).map((point) => ({ point, fault: fault() }));
      return rolloutUnderFaults(env, { devices: options.devices, groups: options.groups, injections });
    };
  return [
    ...serviceNames.map((service): ChaosCase => ({
      name: `sigkill ${service} x${options.kills}`,
      quick: quickServices.includes(service),
      run: underFaults(() => serviceKill(service), options.kills, service === 'rollout-command'),
    })),
    { name: 'sigkill kafka', quick: false, run: underFaults(kafkaKill, 1) },
    { name: 'sigkill postgres postmaster', quick: false, run: underFaults(postmasterKill, 1) },
    { name: 'pg_ctl stop -m immediate', quick: true, run: underFaults(postgresImmediateStop, 1) },
    { name: 'duplicated and reordered device messages', quick: true, run: () => duplicatedAndReordered(env, options) },
    {
      name: 'bad device messages',
      quick: true,
      run: async () => {
        const producer = env.kafka.producer();
        await producer.connect();
        try {
          const checks = await badDeviceMessagesChecks(env, producer, 60_000);
          return { checks: [...checks, ...(await clusterKeepsGoing(env))] };
        } finally {
          await producer.disconnect();
        }
      },
    },
    {
      name: 'bad REST requests',
      quick: true,
      run: async () => {
        // Targets created through REST, not the device topic: a wedged registration consumer must
        // not turn every bad rollout into a 400 for want of targets.
        const prefix = uniqueName('badrest');
        await env.client.expect(201, 'POST', '/targets', [
          { controllerId: `${prefix}-00001` },
          { controllerId: `${prefix}-00002` },
        ]);
        const distributionSetId = await env.client.createDistributionSet(prefix);
        const checks = await badRequestChecks(
          env.client,
          { distributionSetId, targetFilterQuery: `controllerId==${prefix}-*` },
          prefix,
        );
        return { checks: [...checks, ...(await clusterKeepsGoing(env))] };
      },
    },
  ];
}

/** A rollout whose devices answer through a connector that duplicates and reorders every report. */
async function duplicatedAndReordered(env: ChaosEnv, options: SuiteOptions): Promise<{ checks: CheckResult[] }> {
  const prefix = uniqueName('unruly');
  const devices = options.devices;
  const producer = env.kafka.producer();
  await producer.connect();
  const connector = new UnrulyConnector(env, producer, prefix, options.random);
  try {
    const ids = Array.from({ length: devices }, (_, i) => `${prefix}-${String(i + 1).padStart(5, '0')}`);
    // Each device announces itself twice: a duplicated registration must make one target.
    await sendDeviceMessages(producer, [...ids, ...ids].map(thingCreated));
    await pollCount(env, prefix, devices);
    const from = await topicEndOffsets(env.admin, Topics.deviceOutbound);
    await connector.start();
    const rolloutId = await createRollout(env.client, { prefix, groups: options.groups });
    await pollRollout(env.client, rolloutId, (v) => v.status === 'ready', { timeoutMs: env.finishTimeoutMs });
    await env.client.expect(204, 'POST', `/rollouts/${rolloutId}/start`);
    const finished = await guarded('rollout finished within the bound', async () => {
      await pollRollout(env.client, rolloutId, (v) => v.status === 'finished' && settledCount(v) === devices, {
        timeoutMs: env.finishTimeoutMs,
        intervalMs: 250,
      });
      return [{ check: 'rollout finished within the bound', pass: true }];
    });
    // The second, reversed copy of the last answers is processed by now or soon: counts must not move.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const { results, actionIds } = await checkActions(env.pool, rolloutId, devices);
    const outbound = await readTopicRange(env.kafka, Topics.deviceOutbound, { from });
    return {
      checks: [
        ...finished,
        ...(await guarded('final counts', () => checkFinalCounts(env.client, rolloutId, devices))),
        ...results,
        ...checkInstructions(outbound, rolloutId, actionIds),
        {
          check: 'connector answered every instruction',
          pass: connector.instructions === devices,
          detail: { instructions: connector.instructions, reportsSent: connector.reportsSent },
        },
      ],
    };
  } finally {
    await connector.stop();
    await producer.disconnect();
  }
}

async function pollCount(env: ChaosEnv, prefix: string, count: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const registered = await env.client.countTargets(`controllerId==${prefix}-*`).catch(() => -1);
    if (registered === count) return;
    if (Date.now() > deadline) throw new Error(`${registered} of ${count} duplicated registrations became targets`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
