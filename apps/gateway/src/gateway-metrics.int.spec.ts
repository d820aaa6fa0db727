import type { INestApplication } from '@nestjs/common';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bootstrapService, readPlatformConfig, sampleValue } from '@fleetwave/platform';
import { AppModule } from './app.module';
import { parseUsers } from './auth/users';
import { standInBackends } from './testing/stand-in-backends';

/**
 * The gateway's `/metrics`, started as the service starts: every request is measured under its
 * route template (ids folded), with its status, whether the gateway served it (rollouts, from
 * stand-ins of the internal services), proxied it, refused it at the edge or knew no such route.
 */
describe('gateway metrics', () => {
  let upstream: Server;
  let gateway: INestApplication;
  let backends: Awaited<ReturnType<typeof standInBackends>>;
  let base: string;
  const auth = { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` };

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":1}'));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    backends = await standInBackends({
      queries: {
        GetRollout: async (r) => ({ id: r.rolloutId, name: 'r', status: 'ready', totalTargetsPerStatus: {} }),
      },
    });
    gateway = await bootstrapService(
      AppModule.forRoot(
        parseUsers('admin:admin:*'),
        { rolloutCommand: upstreamUrl, reporting: upstreamUrl },
        { backends: { commands: backends.address, queries: backends.address } },
      ),
      { ...readPlatformConfig('gateway', 1, {}), httpPort: 0 },
    );
    base = `http://127.0.0.1:${(gateway.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await gateway?.close();
    await backends?.stop();
    await new Promise((resolve) => upstream?.close(resolve));
  });

  it('counts requests per method, route template and status', async () => {
    for (const id of [17, 18, 19]) {
      expect((await fetch(`${base}/rest/v1/rollouts/${id}`, { headers: auth })).status).toBe(200);
    }
    expect((await fetch(`${base}/rest/v1/rollouts/17`)).status).toBe(401);
    expect((await fetch(`${base}/no/such/${Date.now()}`)).status).toBe(404);

    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    const count = (route: string, status: string) =>
      sampleValue(text, 'fleetwave_http_request_duration_seconds_count', {
        service: 'gateway',
        method: 'GET',
        route,
        status,
      });
    expect(count('/rest/v1/rollouts/:id', '200')).toBe(3);
    expect(count('/rest/v1/rollouts/:id', '401')).toBe(1);
    expect(count('other', '404')).toBe(1);
    expect(text).not.toContain('rollouts/17');
  });
});
