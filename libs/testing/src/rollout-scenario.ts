import { eventually } from './eventually';
import type { FleetwaveClient, RolloutView } from './fleetwave-client';

/** One registration call of the simulator at most this many devices: bounded request and Kafka bursts. */
const REGISTRATION_CHUNK = 50_000;

/**
 * Registers `count` simulated devices named `prefix-00001…` and waits until rollout-command
 * lists all of them as targets.
 */
export async function registerFleet(
  client: FleetwaveClient,
  prefix: string,
  count: number,
  options: { behaviour?: 'succeed' | 'fail'; timeoutMs?: number } = {},
): Promise<void> {
  for (let start = 1; start <= count; start += REGISTRATION_CHUNK) {
    await client.registerDevices(prefix, Math.min(REGISTRATION_CHUNK, count - start + 1), options.behaviour, start);
  }
  await eventually(
    async () => {
      const registered = await client.countTargets(`controllerId==${prefix}-*`);
      if (registered !== count) throw new Error(`${registered} of ${count} targets registered`);
    },
    { timeoutMs: options.timeoutMs ?? 600_000, intervalMs: 250, description: `registration of ${prefix}` },
  );
}

export interface RolloutPlan {
  prefix: string;
  groups: number;
  /** Success threshold of every group, in percent. */
  threshold?: number;
}

/** Creates a distribution set and a rollout over every `prefix-*` target; answers the rollout's id. */
export async function createRollout(client: FleetwaveClient, plan: RolloutPlan): Promise<number> {
  const distributionSetId = await client.createDistributionSet(plan.prefix);
  const rollout = await client.expect<RolloutView>(201, 'POST', '/rollouts', {
    name: plan.prefix,
    distributionSetId,
    targetFilterQuery: `controllerId==${plan.prefix}-*`,
    amountGroups: plan.groups,
    successCondition: { condition: 'THRESHOLD', expression: plan.threshold ?? 100 },
  });
  return rollout.id;
}

/**
 * Polls the rollout until `done` holds for its view; every view is passed to `onView` (with the
 * time it was read) and failed reads are tolerated, so services may be down in between.
 */
export async function pollRollout(
  client: FleetwaveClient,
  rolloutId: number,
  done: (view: RolloutView) => boolean,
  options: { timeoutMs?: number; intervalMs?: number; onView?: (view: RolloutView, at: number) => void } = {},
): Promise<RolloutView> {
  const timeoutMs = options.timeoutMs ?? 600_000;
  const deadline = Date.now() + timeoutMs;
  let last: RolloutView | undefined;
  let lastError = '';
  for (;;) {
    try {
      const response = await client.call<RolloutView>('GET', `/rollouts/${rolloutId}`);
      const at = Date.now();
      if (response.status === 200) {
        last = response.body;
        options.onView?.(last, at);
        if (done(last)) return last;
      } else lastError = `status ${response.status}`;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() >= deadline) {
      const seen = last ? `${last.status} ${JSON.stringify(last.totalTargetsPerStatus)}` : `no view (${lastError})`;
      throw new Error(`rollout ${rolloutId} did not reach the wanted state within ${timeoutMs} ms; last: ${seen}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
}

/** How many of a rollout's actions are in a final state, as the read model shows them. */
export const settledCount = (view: RolloutView): number =>
  view.totalTargetsPerStatus.finished + view.totalTargetsPerStatus.error + view.totalTargetsPerStatus.cancelled;
