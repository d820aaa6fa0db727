/**
 * A whole rollout through the running cluster: time from start to finished for N simulated
 * devices, and the group cascade (from a group reaching its success threshold to the next
 * group's actions running), measured on the read model. Prints JSON.
 */
import { eventually, FleetwaveClient, RolloutView, uniqueName } from '@fleetwave/testing';

const DEVICES = Number(process.env.BENCH_DEVICES ?? 2_000);
const GROUPS = Number(process.env.BENCH_GROUPS ?? 10);
const client = new FleetwaveClient();

async function main(): Promise<void> {
  const prefix = uniqueName('bench');
  const registeredAt = Date.now();
  await client.registerDevices(prefix, DEVICES);
  await eventually(async () => expect(await client.countTargets(`controllerId==${prefix}-*`), DEVICES), {
    timeoutMs: 300_000,
    intervalMs: 250,
  });
  const registrationMs = Date.now() - registeredAt;
  const distributionSetId = await client.createDistributionSet(prefix);
  const createdAt = Date.now();
  const rollout = await client.expect<RolloutView>(201, 'POST', '/rollouts', {
    name: prefix,
    distributionSetId,
    targetFilterQuery: `controllerId==${prefix}-*`,
    amountGroups: GROUPS,
    successCondition: { condition: 'THRESHOLD', expression: 100 },
  });
  await eventually(async () => expect((await client.rollout(rollout.id)).status, 'ready'), { timeoutMs: 300_000 });
  const readyMs = Date.now() - createdAt;
  const startedAt = Date.now();
  await client.expect(204, 'POST', `/rollouts/${rollout.id}/start`);
  const finished = await eventually(
    async () => {
      const view = await client.rollout(rollout.id);
      expect(view.status, 'finished');
      return view;
    },
    { timeoutMs: 600_000, intervalMs: 100 },
  );
  const rolloutMs = Date.now() - startedAt;
  console.log(
    JSON.stringify({
      benchmark: 'rollout',
      devices: DEVICES,
      groups: GROUPS,
      registrationMs,
      createToReadyMs: readyMs,
      startToFinishedMs: rolloutMs,
      actionsPerSecond: Math.round(DEVICES / (rolloutMs / 1000)),
      msPerGroupCascade: Math.round(rolloutMs / GROUPS),
      finished: finished.totalTargetsPerStatus.finished,
    }),
  );
}

function expect<T>(actual: T, wanted: T): void {
  if (actual !== wanted) throw new Error(`${String(actual)} is not ${String(wanted)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
