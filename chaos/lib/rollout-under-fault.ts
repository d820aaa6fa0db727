import type { Admin, Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { Topics } from '@fleetwave/contracts';
import {
  checkActions,
  checkFinalCounts,
  checkInstructions,
  createRollout,
  pollRollout,
  readTopicRange,
  registerFleet,
  settledCount,
  topicEndOffsets,
  uniqueName,
  type CheckResult,
  type FleetwaveClient,
} from '@fleetwave/testing';
import { guarded } from './case-report';
import type { Fault, Recovery } from './faults';

/** What every case shares: the clients of the cluster under test. */
export interface ChaosEnv {
  client: FleetwaveClient;
  kafka: Kafka;
  admin: Admin;
  pool: Pool;
  log(line: string): void;
  /** Bound for a rollout to finish after its faults. */
  finishTimeoutMs: number;
}

/** Where in a rollout a fault hits: right after creation, or once this fraction of actions has settled. */
export type InjectionPoint = 'creation' | number;

export interface FaultPlan {
  devices: number;
  groups: number;
  injections: { point: InjectionPoint; fault: Fault }[];
}

/**
 * One rollout with faults injected at the given points, then the exact-count checks: the read
 * model's final counts, one action per target, and exactly one instruction per action.
 */
export async function rolloutUnderFaults(
  env: ChaosEnv,
  plan: FaultPlan,
): Promise<{ checks: CheckResult[]; recoveries: Recovery[]; rolloutId: number; devices: number }> {
  const { client, admin, log } = env;
  const prefix = uniqueName('chaos');
  await registerFleet(client, prefix, plan.devices, { timeoutMs: 120_000 });
  const reRegisterDevices = async () => {
    for (let start = 1; start <= plan.devices; start += 50_000)
      await client.registerDevices(prefix, Math.min(50_000, plan.devices - start + 1), 'succeed', start);
  };
  const from = await topicEndOffsets(admin, Topics.deviceOutbound);
  const injections = [...plan.injections].sort((a, b) => order(a.point) - order(b.point));
  const recoveries: Recovery[] = [];
  const consuming: Promise<void>[] = [];
  const rolloutDone = new AbortController();
  const inject = async (fault: Fault, atSettled: number) => {
    log(`  injecting ${fault.name} at ${atSettled < 0 ? 'creation' : `${atSettled} settled`}`);
    const injected = await fault.inject({ admin, reRegisterDevices, rolloutDone: rolloutDone.signal }, atSettled);
    const { recovery } = injected;
    log(`  restarted in ${recovery.restartMs} ms, ready after ${JSON.stringify(recovery.readyMs)} ms`);
    recoveries.push(recovery);
    consuming.push(injected.consuming);
  };

  const rolloutId = await createRollout(client, { prefix, groups: plan.groups });
  for (const { fault } of injections.filter((i) => i.point === 'creation')) await inject(fault, -1);
  await pollRollout(client, rolloutId, (view) => view.status === 'ready', { timeoutMs: env.finishTimeoutMs });
  await client.expect(204, 'POST', `/rollouts/${rolloutId}/start`);
  const checks: CheckResult[] = [];
  try {
    for (const { point, fault } of injections) {
      if (point === 'creation') continue;
      const target = Math.ceil(point * plan.devices);
      const view = await pollRollout(client, rolloutId, (v) => settledCount(v) >= target, {
        timeoutMs: env.finishTimeoutMs,
      });
      await inject(fault, settledCount(view));
    }
  } catch (error) {
    // Stuck before a fault point: the stall itself is the finding; the checks below show where.
    checks.push({ check: 'rollout progressed to every fault point', pass: false, detail: String(error) });
  }
  if (checks.length === 0) {
    checks.push(
      ...(await guarded('rollout finished after the faults', async () => {
        await pollRollout(client, rolloutId, (v) => v.status === 'finished' && settledCount(v) === plan.devices, {
          timeoutMs: env.finishTimeoutMs,
          intervalMs: 250,
        });
        return [{ check: 'rollout finished after the faults', pass: true }];
      })),
    );
  }
  // Finished (or given up on): whatever a restarted consumer had to do is done.
  rolloutDone.abort();
  await Promise.all(consuming);
  checks.push(...(await guarded('final counts', () => checkFinalCounts(client, rolloutId, plan.devices))));
  const { results, actionIds } = await checkActions(env.pool, rolloutId, plan.devices);
  checks.push(...results);
  const outbound = await readTopicRange(env.kafka, Topics.deviceOutbound, { from });
  checks.push(...checkInstructions(outbound, rolloutId, actionIds));
  return { checks, recoveries, rolloutId, devices: plan.devices };
}

const order = (point: InjectionPoint) => (point === 'creation' ? -1 : point);
