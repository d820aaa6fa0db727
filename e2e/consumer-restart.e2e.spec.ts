import { execFileSync } from 'node:child_process';
import { eventually, FleetwaveClient, RolloutView, uniqueName } from '@fleetwave/testing';

const client = new FleetwaveClient();
const cluster = (...args: string[]) =>
  execFileSync('bash', [`${__dirname}/../scripts/cluster.sh`, ...args], { stdio: 'pipe', timeout: 120_000 }).toString();

describe('a consumer service restarted mid-rollout', () => {
  it.each(['action-dispatch', 'group-orchestrator'])(
    'the rollout still finishes with exact counts when %s restarts',
    async (service) => {
      const prefix = uniqueName('restart');
      await client.registerDevices(prefix, 60);
      await eventually(async () => expect(await client.countTargets(`controllerId==${prefix}-*`)).toBe(60), {
        timeoutMs: 60_000,
        description: 'registration',
      });
      const distributionSetId = await client.createDistributionSet(prefix);
      const rollout = await client.expect<RolloutView>(201, 'POST', '/rollouts', {
        name: prefix,
        distributionSetId,
        targetFilterQuery: `controllerId==${prefix}-*`,
        amountGroups: 3,
        successCondition: { condition: 'THRESHOLD', expression: 100 },
      });
      await eventually(async () => expect((await client.rollout(rollout.id)).status).toBe('ready'), {
        timeoutMs: 30_000,
      });
      await client.expect(204, 'POST', `/rollouts/${rollout.id}/start`);

      // Restart while the rollout is under way: the first group has started, the rollout is not finished.
      await eventually(
        async () => {
          const view = await client.rollout(rollout.id);
          expect(view.totalTargetsPerStatus.scheduled + view.totalTargetsPerStatus.running).toBeGreaterThan(0);
        },
        { timeoutMs: 30_000, intervalMs: 20 },
      );
      cluster('restart', service);

      const finished = await eventually(
        async () => {
          const view = await client.rollout(rollout.id);
          expect(view.status).toBe('finished');
          return view;
        },
        { timeoutMs: 180_000, intervalMs: 250, description: 'rollout finished after restart' },
      );
      expect(finished.totalTargetsPerStatus).toEqual({
        running: 0,
        notstarted: 0,
        scheduled: 0,
        cancelled: 0,
        finished: 60,
        error: 0,
      });
    },
  );
});
