/**
 * The demo `npm start` runs: registers a fleet of simulated devices, creates a distribution set
 * and a rollout over them in groups, starts it and prints its progress until it finishes.
 */
import { eventually, FleetwaveClient, RolloutView } from '@fleetwave/testing';

const DEVICES = Number(process.env.DEMO_DEVICES ?? 1000);
const GROUPS = Number(process.env.DEMO_GROUPS ?? 5);
const client = new FleetwaveClient();

const progress = (view: RolloutView) =>
  Object.entries(view.totalTargetsPerStatus)
    .map(([status, n]) => `${status}=${n}`)
    .join(' ');

async function main(): Promise<void> {
  const run = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  console.log(`[demo] registering ${DEVICES} simulated devices (demo-00001 …)`);
  await client.registerDevices('demo', DEVICES);
  await eventually(
    async () => {
      const n = await client.countTargets('controllerId==demo-*');
      if (n < DEVICES) throw new Error(`${n} of ${DEVICES} registered`);
    },
    { timeoutMs: 120_000, intervalMs: 500, description: 'device registration' },
  );

  const distributionSetId = await client.createDistributionSet(`demo-${run}`);
  const rollout = await client.expect<RolloutView>(201, 'POST', '/rollouts', {
    name: `demo-${run}`,
    description: 'demo rollout started by npm start',
    distributionSetId,
    targetFilterQuery: 'controllerId==demo-*',
    amountGroups: GROUPS,
  });
  console.log(`[demo] rollout ${rollout.id} created over ${rollout.totalTargets} targets in ${GROUPS} groups`);
  await eventually(
    async () => {
      if ((await client.rollout(rollout.id)).status !== 'ready') throw new Error('not ready');
    },
    { timeoutMs: 120_000, description: 'rollout ready' },
  );
  await client.expect(204, 'POST', `/rollouts/${rollout.id}/start`);
  const startedAt = Date.now();

  const deadline = startedAt + 10 * 60_000;
  for (let last = ''; Date.now() < deadline; await new Promise((r) => setTimeout(r, 500))) {
    const view = await client.rollout(rollout.id);
    const line = `[demo] rollout ${view.id} ${view.status}: ${progress(view)}`;
    if (line !== last) console.log(line);
    last = line;
    if (view.status === 'finished') {
      console.log(`[demo] finished in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
      console.log(`[demo] watch it: curl -u admin:admin ${client.gatewayUrl}/rest/v1/rollouts/${view.id}`);
      console.log(`[demo]           curl -u admin:admin ${client.gatewayUrl}/rest/v1/rollouts/${view.id}/deploygroups`);
      return;
    }
  }
  throw new Error(`rollout ${rollout.id} did not finish within 10 minutes`);
}

main().catch((error: unknown) => {
  console.error(`[demo] failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
