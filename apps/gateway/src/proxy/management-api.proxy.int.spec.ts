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

/** A rollout of the stand-in read model: absent answers 404, as reporting does. */
type ReadModelEntry = { lastModifiedAt: number };

/**
 * The gateway started in-process as the service starts (bootstrapService), in front of a
 * recording upstream: a hostile body is refused at the gateway with hawkBit's error body and
 * never forwarded; a valid one is forwarded as sent, with the caller and its permissions. The
 * upstream also stands in for reporting's rollout reads, projecting a rollout write a while after
 * it was acknowledged, so the gateway's read-your-writes wait can be observed.
 */
describe('gateway request edge', () => {
  const forwarded: Forwarded[] = [];
  const readModel = new Map<number, ReadModelEntry>();
  /** What a write to a rollout does to the read model once "projected" (later than the write's answer). */
  const projections = new Map<number, () => void>();
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
        const rollout = /^\/rest\/v1\/rollouts\/(\d+)$/.exec(url);
        if (req.method === 'GET' && rollout) {
          const entry = readModel.get(Number(rollout[1]));
          if (entry) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(entry));
          else res.writeHead(404, { 'content-type': 'application/json' }).end('{}');
          return;
        }
        forwarded.push({ method: req.method ?? '', url, body: Buffer.concat(chunks).toString(), headers: req.headers });
        const projection = rollout && projections.get(Number(rollout[1]));
        if (projection) {
          setTimeout(projection, 300);
          res.writeHead(204).end();
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

  it('answers an update only once the read model shows it', async () => {
    readModel.set(701, { lastModifiedAt: 1 });
    projections.set(701, () => readModel.set(701, { lastModifiedAt: Date.now() }));
    const since = Date.now();
    expect((await send('PUT', '/rollouts/701')).status).toBe(204);
    expect(readModel.get(701)!.lastModifiedAt).toBeGreaterThanOrEqual(since);
  });

  it('answers a soft delete once the rollout changed, and a hard delete once the read model answers 404', async () => {
    readModel.set(702, { lastModifiedAt: 1 });
    projections.set(702, () => readModel.set(702, { lastModifiedAt: Date.now() }));
    const since = Date.now();
    expect((await send('DELETE', '/rollouts/702')).status).toBe(204);
    expect(readModel.get(702)!.lastModifiedAt).toBeGreaterThanOrEqual(since);

    readModel.set(703, { lastModifiedAt: 1 });
    projections.set(703, () => readModel.delete(703));
    expect((await send('DELETE', '/rollouts/703')).status).toBe(204);
    expect(readModel.has(703)).toBe(false);
    expect((await send('GET', '/rollouts/703')).status).toBe(404);
  });

  it('still answers, after its bound, a write the read model never shows', async () => {
    readModel.set(704, { lastModifiedAt: 1 });
    projections.set(704, () => undefined);
    expect((await send('PUT', '/rollouts/704')).status).toBe(204);
    expect(readModel.get(704)).toEqual({ lastModifiedAt: 1 });
  }, 15_000);
});
