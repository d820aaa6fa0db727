import type { INestApplication } from '@nestjs/common';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bootstrapService, readPlatformConfig } from '@fleetwave/platform';
import { AppModule } from '../app.module';
import { parseTokens, parseUsers } from '../auth/users';

interface Forwarded {
  method: string;
  url: string;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** The stand-in rollout-command's answer to a rollout write: the stream revision it wrote. */
type Written = { revision: number };

/**
 * The gateway started in-process as the service starts (bootstrapService), in front of a
 * recording upstream: a hostile body is refused at the gateway with hawkBit's error body and
 * never forwarded; a valid one is forwarded as sent, with the caller and its permissions. The
 * upstream also stands in for reporting's rollout reads, projecting a rollout write a while after
 * it was acknowledged, so the gateway's read-your-writes wait can be observed.
 */
describe('gateway request edge', () => {
  const forwarded: Forwarded[] = [];
  /** Stream revisions written per rollout, and how far the stand-in read model has projected each. */
  const written = new Map<number, Written>();
  const projected = new Map<number, number>();
  /** Per rollout, how long after a write's answer the read model projects it (absent: never). */
  const projectionDelay = new Map<number, number>();
  const positionQueries: string[] = [];
  /** The stand-in inventory's answer for the one target it does not know. */
  const unknownTarget = {
    exceptionClass: 'EntityNotFoundException',
    errorCode: 'hawkbit.server.error.repo.entitiyNotFound',
    message: 'Target with given identifier {ghost} does not exist.',
  };
  let upstream: Server;
  let gateway: INestApplication;
  let base: string;
  const auth = `Basic ${Buffer.from('admin:admin').toString('base64')}`;
  const cfgToken = 'cfg-token-0123456789abcdef';

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const url = req.url ?? '';
        const position = /^\/internal\/rollouts\/(\d+)\/position\?atLeast=(\d+)/.exec(url);
        if (req.method === 'GET' && position) {
          // Reporting's wait: answers once the projection reached the revision (here: checked every 20 ms).
          positionQueries.push(url);
          const [id, atLeast] = [Number(position[1]), Number(position[2])];
          const deadline = Date.now() + 5_000;
          const answer = () => {
            const revision = projected.get(id) ?? -1;
            if (revision >= atLeast || Date.now() > deadline) {
              res.writeHead(200, { 'content-type': 'application/json' });
              res.end(JSON.stringify({ rolloutId: id, revision, reached: revision >= atLeast }));
            } else setTimeout(answer, 20);
          };
          answer();
          return;
        }
        const rollout = /^\/rest\/v1\/rollouts\/(\d+)(\/\w+)?$/.exec(url);
        forwarded.push({ method: req.method ?? '', url, body: Buffer.concat(chunks).toString(), headers: req.headers });
        if (req.method === 'GET' && url === '/rest/v1/targets/ghost') {
          res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify(unknownTarget));
          return;
        }
        if (rollout && req.method !== 'GET') {
          const id = Number(rollout[1]);
          const revision = (written.get(id)?.revision ?? -1) + 1;
          written.set(id, { revision });
          const delay = projectionDelay.get(id);
          if (delay !== undefined) setTimeout(() => projected.set(id, revision), delay);
          res.writeHead(204, { 'x-fleetwave-rollout': String(id), 'x-fleetwave-position': String(revision) }).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    const users = parseUsers('admin:admin:*;cfg:pw:READ_TENANT_CONFIGURATION,READ_ROLLOUT');
    gateway = await bootstrapService(
      AppModule.forRoot(
        users,
        { rolloutCommand: upstreamUrl, reporting: upstreamUrl },
        undefined,
        parseTokens(`${cfgToken}:cfg`, users),
      ),
      { ...readPlatformConfig('gateway-edge-test', 1, {}), httpPort: 0 },
    );
    base = `http://127.0.0.1:${(gateway.getHttpServer().address() as AddressInfo).port}/rest/v1`;
  });

  afterAll(async () => {
    await gateway?.close();
    await new Promise((resolve) => upstream?.close(resolve));
  });

  const post = async (path: string, body: string, type = 'application/json') => {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': type },
      body,
    });
    return { status: response.status, body: await response.json() };
  };
  const deep = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

  it.each([
    [
      'a body nested 100,000 deep',
      400,
      deep(100_000),
      'application/json',
      'hawkbit.server.error.rest.body.notReadable',
    ],
    [
      'a 2 MB body',
      413,
      JSON.stringify([{ controllerId: 'x'.repeat(2 << 20) }]),
      'application/json',
      'hawkbit.server.error.rest.body.tooLarge',
    ],
    [
      'an escaped NUL',
      400,
      '[{"controllerId":"dev\\u00001"}]',
      'application/json',
      'hawkbit.server.error.rest.body.notReadable',
    ],
    ['malformed JSON', 400, '[{"controllerId":', 'application/json', 'hawkbit.server.error.rest.body.notReadable'],
    [
      'a form body',
      415,
      'controllerId=x',
      'application/x-www-form-urlencoded',
      'hawkbit.server.error.rest.mediaType.unsupported',
    ],
  ])('refuses %s with %i and does not forward it', async (_case, status, body, type, errorCode) => {
    const before = forwarded.length;
    const answer = await post('/targets', body, type);
    expect(answer).toEqual({
      status,
      body: { exceptionClass: expect.any(String), errorCode, message: expect.any(String) },
    });
    expect(forwarded.length).toBe(before);
  });

  it("answers the actions of an unknown target with the inventory's 404, and asks the read model only for a known one", async () => {
    const get = (path: string) => fetch(`${base}${path}`, { headers: { authorization: auth } });
    const calls = (from: number) => forwarded.slice(from).map((f) => `${f.method} ${f.url}`);
    const before = forwarded.length;

    const unknown = await get('/targets/ghost/actions?limit=5');
    expect({ status: unknown.status, body: await unknown.json() }).toEqual({ status: 404, body: unknownTarget });
    expect(calls(before)).toEqual(['GET /rest/v1/targets/ghost']);

    const known = await get('/targets/dev-1/actions/7/status');
    expect(known.status).toBe(200);
    expect(calls(before + 1)).toEqual(['GET /rest/v1/targets/dev-1', 'GET /rest/v1/targets/dev-1/actions/7/status']);
  });

  it('forwards a valid body as JSON, unchanged', async () => {
    const body = [{ controllerId: 'dev-1', name: 'nested ok', attributes: { a: { b: [1, 2] } } }];
    const answer = await post('/targets', JSON.stringify(body));
    expect(answer).toEqual({ status: 200, body: { ok: true } });
    const last = forwarded[forwarded.length - 1];
    expect(last).toMatchObject({ method: 'POST', url: '/rest/v1/targets' });
    expect(JSON.parse(last.body)).toEqual(body);
  });

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

  it('takes a bearer token as the user it names, and refuses an unknown one', async () => {
    const bearer = await send('GET', '/system/configs', `Bearer ${cfgToken}`);
    expect(bearer.status).toBe(200);
    expect(forwarded[forwarded.length - 1].headers['x-fleetwave-user']).toBe('cfg');
    expect((await send('PUT', '/system/configs/rollout.approval.enabled', `Bearer ${cfgToken}`)).status).toBe(403);
    const before = forwarded.length;
    expect((await send('GET', '/system/configs', `Bearer ${cfgToken}x`)).status).toBe(401);
    expect(forwarded.length).toBe(before);
  });

  it('forwards the caller and its permissions, and enforces the tenant configuration permissions', async () => {
    const cfg = `Basic ${Buffer.from('cfg:pw').toString('base64')}`;
    expect((await send('GET', '/system/configs', cfg)).status).toBe(200);
    const last = forwarded[forwarded.length - 1];
    expect(last).toMatchObject({ method: 'GET', url: '/rest/v1/system/configs' });
    expect(last.headers['x-fleetwave-user']).toBe('cfg');
    expect(last.headers['x-fleetwave-permissions']).toBe('READ_TENANT_CONFIGURATION,READ_ROLLOUT');

    const before = forwarded.length;
    const refused = await send('PUT', '/system/configs/rollout.approval.enabled', cfg);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ message: 'TENANT_CONFIGURATION is required' });
    expect(forwarded.length).toBe(before);

    expect((await send('DELETE', '/system/configs/rollout.approval.enabled')).status).toBe(200);
    const admin = forwarded[forwarded.length - 1].headers['x-fleetwave-permissions'];
    expect(String(admin).split(',')).toEqual(expect.arrayContaining(['TENANT_CONFIGURATION', 'APPROVE_ROLLOUT']));
  });

  it('answers a rollout write only once the read model has projected the revision it wrote', async () => {
    projectionDelay.set(701, 300);
    expect((await send('PUT', '/rollouts/701')).status).toBe(204);
    expect(projected.get(701)).toBe(0);
    expect((await send('POST', '/rollouts/701/pause')).status).toBe(204);
    expect(projected.get(701)).toBe(1);
    expect(positionQueries.filter((q) => q.startsWith('/internal/rollouts/701/'))).toEqual([
      '/internal/rollouts/701/position?atLeast=0&timeoutMs=5000',
      '/internal/rollouts/701/position?atLeast=1&timeoutMs=5000',
    ]);
  });

  it('answers a write that carries no position without waiting for anything', async () => {
    const before = positionQueries.length;
    expect((await send('DELETE', '/system/configs/rollout.approval.enabled')).status).toBe(200);
    expect(positionQueries.length).toBe(before);
  });

  it('still answers, after its bound, a write the read model never shows', async () => {
    expect((await send('PUT', '/rollouts/704')).status).toBe(204);
    expect(projected.has(704)).toBe(false);
  }, 15_000);
});
