import {
  checkFinalCounts,
  createRollout,
  pollRollout,
  registerFleet,
  settledCount,
  uniqueName,
  type CheckResult,
} from '@fleetwave/testing';
import { guarded } from './case-report';
import { sleep } from './process-control';
import { clusterConsumerGroups, groupLag } from './recovery';
import type { ChaosEnv } from './rollout-under-fault';

/**
 * After bad input: the cluster still registers devices and runs a small rollout to the end, and
 * every consumer group of the services drains (nothing is stuck retrying one message).
 */
export async function clusterKeepsGoing(env: ChaosEnv, devices = 20): Promise<CheckResult[]> {
  const prefix = uniqueName('alive');
  const registration = await guarded('new devices still register', async () => {
    await registerFleet(env.client, prefix, devices, { timeoutMs: 60_000 });
    return [{ check: 'new devices still register', pass: true }];
  });
  const rollout = registration[0].pass
    ? await guarded('a new rollout still finishes', async () => {
        const id = await createRollout(env.client, { prefix, groups: 2 });
        await pollRollout(env.client, id, (v) => v.status === 'ready', { timeoutMs: 60_000 });
        await env.client.expect(204, 'POST', `/rollouts/${id}/start`);
        await pollRollout(env.client, id, (v) => v.status === 'finished' && settledCount(v) === devices, {
          timeoutMs: 120_000,
          intervalMs: 250,
        });
        return [
          { check: 'a new rollout still finishes', pass: true },
          ...(await checkFinalCounts(env.client, id, devices)),
        ];
      })
    : [{ check: 'a new rollout still finishes', pass: false, detail: 'skipped: registration is stuck' }];
  return [...registration, ...rollout, ...(await consumersDrain(env, 60_000))];
}

/** Every consumer group of the services reaches zero lag within the bound. */
export async function consumersDrain(env: ChaosEnv, timeoutMs: number): Promise<CheckResult[]> {
  return guarded('every consumer group drains', async () => {
    const groups = await clusterConsumerGroups(env.admin);
    const deadline = Date.now() + timeoutMs;
    let lagging: Record<string, number> = {};
    do {
      lagging = {};
      for (const group of groups) {
        const lag = await groupLag(env.admin, group);
        if (lag > 0) lagging[group] = lag;
      }
      if (Object.keys(lagging).length === 0) break;
      await sleep(1_000);
    } while (Date.now() < deadline);
    return [{ check: 'every consumer group drains', pass: Object.keys(lagging).length === 0, detail: lagging }];
  });
}
