import { execFileSync } from 'node:child_process';
import { eventually, FleetwaveClient, RolloutView, uniqueName } from '@fleetwave/testing';

const client = new FleetwaveClient();
const script = (name: string, ...args: string[]) =>
  execFileSync('bash', [`${__dirname}/../scripts/${name}.sh`, ...args], { stdio: 'pipe', timeout: 180_000 }).toString();

const services = {
  'rollout-command': 8081,
  'group-orchestrator': 8082,
  'action-dispatch': 8083,
  reporting: 8084,
};

const probe = async (port: number, kind: 'live' | 'ready') =>
  (await fetch(`http://127.0.0.1:${port}/health/${kind}`, { signal: AbortSignal.timeout(5_000) })).status;

async function runSmallRollout(): Promise<RolloutView> {
  const prefix = uniqueName('outage');
  await client.registerDevices(prefix, 12);
  await eventually(async () => expect(await client.countTargets(`controllerId==${prefix}-*`)).toBe(12), {
    timeoutMs: 60_000,
  });
  const distributionSetId = await client.createDistributionSet(prefix);
  const rollout = await client.expect<RolloutView>(201, 'POST', '/rollouts', {
    name: prefix,
    distributionSetId,
    targetFilterQuery: `controllerId==${prefix}-*`,
    amountGroups: 2,
  });
  await eventually(async () => expect((await client.rollout(rollout.id)).status).toBe('ready'), { timeoutMs: 60_000 });
  await client.expect(204, 'POST', `/rollouts/${rollout.id}/start`);
  return eventually(
    async () => {
      const view = await client.rollout(rollout.id);
      expect(view.status).toBe('finished');
      return view;
    },
    { timeoutMs: 120_000, intervalMs: 250 },
  );
}

describe('readiness follows the infrastructure, and services recover by themselves', () => {
  afterAll(() => {
    // Whatever happened, leave the infrastructure running for the next suite.
    script('postgres', 'start');
    script('kafka', 'start');
  });

  it('is not ready while Postgres is down, stays live, and finishes rollouts once it is back', async () => {
    script('postgres', 'stop');
    for (const [service, port] of Object.entries(services)) {
      await eventually(async () => expect(await probe(port, 'ready')).toBe(503), {
        timeoutMs: 30_000,
        description: `${service} not ready without Postgres`,
      });
      expect(await probe(port, 'live')).toBe(200);
    }
    expect(await probe(8080, 'ready')).toBe(503);

    script('postgres', 'start');
    for (const [service, port] of Object.entries({ ...services, gateway: 8080 })) {
      await eventually(async () => expect(await probe(port, 'ready')).toBe(200), {
        timeoutMs: 90_000,
        description: `${service} ready again`,
      });
    }
    const finished = await runSmallRollout();
    expect(finished.totalTargetsPerStatus.finished).toBe(12);
  });

  it('is not ready while Kafka is down, and finishes rollouts once it is back', async () => {
    const kafkaUsers = { ...services, 'device-simulator': 8085 };
    script('kafka', 'stop');
    for (const [service, port] of Object.entries(kafkaUsers)) {
      await eventually(async () => expect(await probe(port, 'ready')).toBe(503), {
        timeoutMs: 60_000,
        description: `${service} not ready without Kafka`,
      });
      expect(await probe(port, 'live')).toBe(200);
    }

    script('kafka', 'start');
    for (const [service, port] of Object.entries({ ...kafkaUsers, gateway: 8080 })) {
      await eventually(async () => expect(await probe(port, 'ready')).toBe(200), {
        timeoutMs: 150_000,
        intervalMs: 500,
        description: `${service} ready again`,
      });
    }
    const finished = await runSmallRollout();
    expect(finished.totalTargetsPerStatus.finished).toBe(12);
  });
});
