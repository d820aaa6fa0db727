import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { bootstrapService, HawkbitHttpError, readPlatformConfig } from '@fleetwave/platform';
import { AppModule } from '../app.module';
import { parseUsers } from '../auth/users';
import { standInBackends } from '../testing/stand-in-backends';

/**
 * The gateway started in-process as the service starts (bootstrapService). Rollout routes and
 * tenant settings are the gateway's own: they reach stand-ins of the internal gRPC services (the
 * real proto, over a real channel), whose read model projects a write a while after it was
 * acknowledged, so the gateway's read-your-writes wait can be observed.
 */
describe('gateway request edge', () => {
  /** Stream revisions written per rollout, and how far the stand-in read model has projected each. */
  const written = new Map<number, number>();
  const projected = new Map<number, number>();
  /** Per rollout, how long after a write's answer the read model projects it (absent: never). */
  const projectionDelay = new Map<number, number>();
  const positionQueries: { rolloutId: number; atLeast: number }[] = [];
  const commandsReceived: { method: string; request: Record<string, unknown> }[] = [];
  const configCalls: { method: string; request: Record<string, unknown> }[] = [];
  let backends: Awaited<ReturnType<typeof standInBackends>>;
  let gateway: INestApplication;
  let base: string;
  const auth = `Basic ${Buffer.from('admin:admin').toString('base64')}`;

  /** A write of the stand-in rollout-command: the next revision of the rollout's stream. */
  const write = (rolloutId: number) => {
    const revision = (written.get(rolloutId) ?? -1) + 1;
    written.set(rolloutId, revision);
    const delay = projectionDelay.get(rolloutId);
    if (delay !== undefined) setTimeout(() => projected.set(rolloutId, revision), delay);
    return { rolloutId, revision };
  };
  const view = (id: number, name: string) => ({
    id,
    name,
    description: '',
    status: 'ready',
    targetFilterQuery: 'name==*',
    distributionSetId: 3,
    type: 'forced',
    weight: 1000,
    totalTargets: 4,
    createdAt: 1,
    createdBy: 'admin',
    lastModifiedAt: 2,
    lastModifiedBy: 'admin',
  });

  beforeAll(async () => {
    const received =
      (method: string, answer: (r: Record<string, unknown>) => object) => async (r: Record<string, unknown>) => {
        commandsReceived.push({ method, request: r });
        return answer(r);
      };
    const entry = (valueJson: string) => ({
      key: 'rollout.approval.enabled',
      valueJson,
      global: false,
      lastModifiedBy: 'ann',
    });
    const config = (method: string, answer: object) => async (request: Record<string, unknown>) => {
      configCalls.push({ method, request });
      return answer;
    };
    backends = await standInBackends({
      configs: {
        GetConfig: config('GetConfig', entry('true')),
        SetConfig: config('SetConfig', entry('false')),
        ResetConfig: config('ResetConfig', {}),
      },
      commands: {
        UpdateRollout: received('UpdateRollout', (r) => ({
          position: write(Number(r.rolloutId)),
          rollout: view(Number(r.rolloutId), String(r.name)),
        })),
        PauseRollout: received('PauseRollout', (r) => write(Number(r.rolloutId))),
        StartRollout: received('StartRollout', () => {
          throw new HawkbitHttpError(400, {
            exceptionClass: 'RolloutIllegalStateException',
            errorCode: 'hawkbit.server.error.rollout.illegalstate',
            message: 'rollout 702 is running',
          });
        }),
      },
      queries: {
        // Reporting's wait: answers once the projection reached the revision (here: checked every 20 ms).
        AwaitPosition: async (r) => {
          const [rolloutId, atLeast] = [Number(r.rolloutId), Number(r.atLeast)];
          positionQueries.push({ rolloutId, atLeast });
          const deadline = Date.now() + Number(r.timeoutMs);
          while ((projected.get(rolloutId) ?? -1) < atLeast && Date.now() < deadline) {
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
          const revision = projected.get(rolloutId) ?? -1;
          return { revision, reached: revision >= atLeast };
        },
      },
    });
    const backendAddress = backends.address;
    // Nothing here reaches a service over HTTP (readiness and change feeds are not asked).
    const upstreamUrl = 'http://127.0.0.1:1';
    const users = parseUsers('admin:admin:*;cfg:pw:READ_TENANT_CONFIGURATION,READ_ROLLOUT,READ_TARGET');
    gateway = await bootstrapService(
      AppModule.forRoot(
        users,
        { rolloutCommand: upstreamUrl, reporting: upstreamUrl },
        { backends: { commands: backendAddress, queries: backendAddress } },
      ),
      { ...readPlatformConfig('gateway-edge-test', 1, {}), httpPort: 0 },
    );
    base = `http://127.0.0.1:${(gateway.getHttpServer().address() as AddressInfo).port}/rest/v1`;
  });

  afterAll(async () => {
    await gateway?.close();
    await backends?.stop();
  });

  const post = async (path: string, body: string, type = 'application/json') => {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': type },
      body,
    });
    return { status: response.status, body: await response.json() };
  };

  it('still answers authentication first for a bodiless request', async () => {
    const response = await fetch(`${base}/rollouts`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ errorCode: 'hawkbit.server.error.unauthorized' });
  });

  const send = (method: string, path: string, user = auth) =>
    fetch(`${base}${path}`, {
      method,
      headers: { authorization: user, 'content-type': 'application/json' },
      body: method === 'PUT' ? JSON.stringify({ name: 'renamed' }) : undefined,
    });

  it('serves the tenant settings from rollout-command over the internal API, with their permissions', async () => {
    const cfg = `Basic ${Buffer.from('cfg:pw').toString('base64')}`;
    const read = await send('GET', '/system/configs/rollout.approval.enabled', cfg);
    expect({ status: read.status, body: await read.json() }).toEqual({
      status: 200,
      body: {
        value: true,
        global: false,
        lastModifiedBy: 'ann',
        _links: { self: { href: '/rest/v1/system/configs/rollout.approval.enabled' } },
      },
    });
    const before = configCalls.length;
    const refused = await send('PUT', '/system/configs/rollout.approval.enabled', cfg);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ message: 'TENANT_CONFIGURATION is required' });
    expect(configCalls.length).toBe(before);

    const changed = await fetch(`${base}/system/configs/rollout.approval.enabled`, {
      method: 'PUT',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ value: false }),
    });
    expect(changed.status).toBe(200);
    expect(configCalls.at(-1)).toMatchObject({
      method: 'SetConfig',
      request: { caller: { user: 'admin' }, value: { key: 'rollout.approval.enabled', valueJson: 'false' } },
    });
    expect((await send('DELETE', '/system/configs/rollout.approval.enabled')).status).toBe(204);
    expect(configCalls.at(-1)).toMatchObject({ method: 'ResetConfig', request: { key: 'rollout.approval.enabled' } });
  });

  it('answers a rollout write only once the read model has projected the revision it wrote', async () => {
    projectionDelay.set(701, 300);
    const renamed = await send('PUT', '/rollouts/701');
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toMatchObject({
      id: 701,
      name: 'renamed',
      _links: { self: { href: '/rest/v1/rollouts/701' } },
    });
    expect(projected.get(701)).toBe(0);
    expect((await send('POST', '/rollouts/701/pause')).status).toBe(204);
    expect(projected.get(701)).toBe(1);
    expect(positionQueries.filter((q) => q.rolloutId === 701)).toEqual([
      { rolloutId: 701, atLeast: 0 },
      { rolloutId: 701, atLeast: 1 },
    ]);
    // The command side is told who asks and what they may do (it decides on approvals by it).
    expect(commandsReceived.find((c) => c.method === 'PauseRollout')?.request).toMatchObject({
      rolloutId: 701,
      caller: { user: 'admin', permissions: expect.arrayContaining(['HANDLE_ROLLOUT', 'APPROVE_ROLLOUT']) },
    });
  });

  it("answers a service's refusal with the exact hawkBit body it gave, and waits for nothing", async () => {
    const before = positionQueries.length;
    const refused = await send('POST', '/rollouts/702/start');
    expect({ status: refused.status, body: await refused.json() }).toEqual({
      status: 400,
      body: {
        exceptionClass: 'RolloutIllegalStateException',
        errorCode: 'hawkbit.server.error.rollout.illegalstate',
        message: 'rollout 702 is running',
      },
    });
    expect(positionQueries.length).toBe(before);
  });

  it('validates a rollout body and a rollout id at the gateway, before any service hears of it', async () => {
    const before = commandsReceived.length;
    const bad = await post('/rollouts', JSON.stringify({ name: 'r', distributionSetId: 3, amountGroups: 0 }));
    expect(bad).toMatchObject({ status: 400, body: { errorCode: 'hawkbit.server.error.repo.constraintViolation' } });
    expect((bad.body as { message: string }).message).toMatch(/targetFilterQuery/);
    expect((await send('POST', '/rollouts/abc/pause')).status).toBe(400);
    expect((await send('POST', '/rollouts/0/pause')).status).toBe(404);
    expect(commandsReceived.length).toBe(before);
  });

  it('answers 503 when the service behind a rollout route cannot be reached', async () => {
    const lonely = await bootstrapService(
      AppModule.forRoot(
        parseUsers('admin:admin:*'),
        { rolloutCommand: 'http://127.0.0.1:1', reporting: 'http://127.0.0.1:1' },
        {
          backends: { commands: '127.0.0.1:1', queries: '127.0.0.1:1' },
        },
      ),
      { ...readPlatformConfig('gateway-edge-test', 1, {}), httpPort: 0 },
    );
    try {
      const url = `http://127.0.0.1:${(lonely.getHttpServer().address() as AddressInfo).port}/rest/v1/rollouts/5`;
      const answer = await fetch(url, { headers: { authorization: auth } });
      expect({ status: answer.status, body: await answer.json() }).toMatchObject({
        status: 503,
        body: { errorCode: 'hawkbit.server.error.unavailable' },
      });
    } finally {
      await lonely.close();
    }
  });

  it('still answers, after its bound, a write the read model never shows', async () => {
    expect((await send('PUT', '/rollouts/704')).status).toBe(200);
    expect(projected.has(704)).toBe(false);
  }, 15_000);
});
