import type { INestApplication } from '@nestjs/common';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bootstrapService, readPlatformConfig } from '@fleetwave/platform';
import { AppModule } from '../app.module';
import { parseUsers } from '../auth/users';

interface Forwarded {
  method: string;
  url: string;
  body: string;
}

/**
 * The gateway started in-process as the service starts (bootstrapService), in front of a
 * recording upstream: a hostile body is refused at the gateway with hawkBit's error body and
 * never forwarded; a valid one is forwarded as sent.
 */
describe('gateway request edge', () => {
  const forwarded: Forwarded[] = [];
  let upstream: Server;
  let gateway: INestApplication;
  let base: string;
  const auth = `Basic ${Buffer.from('admin:admin').toString('base64')}`;

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        forwarded.push({ method: req.method ?? '', url: req.url ?? '', body: Buffer.concat(chunks).toString() });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    gateway = await bootstrapService(
      AppModule.forRoot(parseUsers(undefined), { rolloutCommand: upstreamUrl, reporting: upstreamUrl }),
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
});
