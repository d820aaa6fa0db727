import type { INestApplication } from '@nestjs/common';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bootstrapService, readPlatformConfig } from '@fleetwave/platform';
import { eventually } from '@fleetwave/testing';
import { AppModule } from '../app.module';
import { parseUsers } from '../auth/users';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/**
 * The dashboard's edge of the gateway, started in-process as the service starts, in front of a
 * stand-in for reporting's change feeds: the page and its files, who the caller is, and the feeds
 * relayed with the caller's rights checked.
 */
describe('dashboard at /ui', () => {
  /** Open feed connections of the stand-in, by path. */
  const feeds = new Map<string, ServerResponse>();
  let upstream: Server;
  let gateway: INestApplication;
  let base: string;

  beforeAll(async () => {
    upstream = createServer((req: IncomingMessage, res: ServerResponse) => {
      const url = req.url ?? '';
      if (url === '/internal/rollouts/changes' || url === '/internal/rollouts/5/changes') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('event: ready\ndata: {}\n\n');
        feeds.set(url, res);
        res.on('close', () => feeds.delete(url));
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    const users = parseUsers('admin:admin:*;viewer:viewer:READ_ROLLOUT,READ_TARGET;stranger:pw:READ_TARGET');
    gateway = await bootstrapService(
      AppModule.forRoot(users, { rolloutCommand: upstreamUrl, reporting: upstreamUrl }),
      { ...readPlatformConfig('gateway-ui-test', 1, {}), httpPort: 0 },
    );
    base = `http://127.0.0.1:${(gateway.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const res of feeds.values()) res.end();
    await gateway?.close();
    await new Promise((resolve) => upstream?.close(resolve));
  });

  it('serves the page with a same-origin policy, its modules, and the chart library from node_modules', async () => {
    const page = await fetch(`${base}/ui`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('/ui/assets/js/main.js');
    expect(html).toContain('/ui/vendor/uplot.js');

    const script = await fetch(`${base}/ui/assets/js/main.js`);
    expect([script.status, script.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect(await script.text()).toContain("from './list-view.js'");

    const statuses = await fetch(`${base}/ui/assets/js/rollout-statuses.js`);
    expect([statuses.status, statuses.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect(await statuses.text()).toContain('export const rolloutStatuses = ["creating","ready",');

    const chart = await fetch(`${base}/ui/vendor/uplot.js`);
    expect(chart.status).toBe(200);
    expect(await chart.text()).toContain('uPlot');
    expect((await fetch(`${base}/ui/vendor/uplot.css`)).headers.get('content-type')).toContain('text/css');
  });

  it('serves nothing outside its public folder, nor files it does not ship', async () => {
    for (const path of [
      '/ui/assets/%2e%2e%2fui-assets.ts',
      '/ui/assets/..%2f..%2fmain.ts',
      // A file that exists, of a kind the dashboard ships, outside its folder.
      '/ui/assets/..%2f..%2f..%2f..%2f..%2fnode_modules/uplot/dist/uPlot.iife.min.js',
      '/ui/assets/missing.js',
      '/ui/vendor/kafkajs.js',
      '/ui/vendor/constructor',
    ]) {
      expect([path, (await fetch(`${base}${path}`)).status]).toEqual([path, 404]);
    }
    // A malformed escape is refused before it could name a file.
    expect((await fetch(`${base}/ui/assets/%E0%A4%A.js`)).status).toBe(400);
  });

  it('tells the caller who it is and what it may do, without asking the browser for a password', async () => {
    const anonymous = await fetch(`${base}/ui/api/me`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBeNull();
    expect((await fetch(`${base}/ui/api/me`, { headers: { authorization: basic('viewer', 'nope') } })).status).toBe(
      401,
    );
    const viewer = await fetch(`${base}/ui/api/me`, { headers: { authorization: basic('viewer', 'viewer') } });
    expect(await viewer.json()).toEqual({ name: 'viewer', permissions: ['READ_TARGET', 'READ_ROLLOUT'] });
    const admin = (await (
      await fetch(`${base}/ui/api/me`, { headers: { authorization: basic('admin', 'admin') } })
    ).json()) as { permissions: string[] };
    expect(admin.permissions).toEqual(expect.arrayContaining(['HANDLE_ROLLOUT', 'APPROVE_ROLLOUT', 'CREATE_ROLLOUT']));
  });

  it('relays the change feeds to a reader of rollouts, and closes the upstream when the reader leaves', async () => {
    expect((await fetch(`${base}/ui/api/rollouts/changes`)).status).toBe(401);
    const stranger = { authorization: basic('stranger', 'pw') };
    expect((await fetch(`${base}/ui/api/rollouts/changes`, { headers: stranger })).status).toBe(403);
    expect((await fetch(`${base}/ui/api/rollouts/abc/changes`, { headers: stranger })).status).toBe(400);

    for (const [path, upstreamPath] of [
      ['/ui/api/rollouts/changes', '/internal/rollouts/changes'],
      ['/ui/api/rollouts/5/changes', '/internal/rollouts/5/changes'],
    ]) {
      const aborter = new AbortController();
      const response = await fetch(`${base}${path}`, {
        headers: { authorization: basic('viewer', 'viewer') },
        signal: aborter.signal,
      });
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let text = '';
      const readUntil = async (fragment: string) => {
        while (!text.includes(fragment)) {
          const { value, done } = await reader.read();
          if (done) throw new Error(`stream ended before ${fragment}`);
          text += decoder.decode(value, { stream: true });
        }
      };
      await readUntil('event: ready');
      feeds.get(upstreamPath)!.write('event: changed\ndata: {"rolloutIds":[5]}\n\n');
      await readUntil('data: {"rolloutIds":[5]}');
      aborter.abort();
      await eventually(() => expect(feeds.has(upstreamPath)).toBe(false), {
        description: `upstream ${upstreamPath} closed after the reader left`,
      });
    }
  });

  it('answers 404 for a feed reporting does not have, and 503 when reporting is down', async () => {
    const viewer = { authorization: basic('viewer', 'viewer') };
    expect((await fetch(`${base}/ui/api/rollouts/6/changes`, { headers: viewer })).status).toBe(404);

    const down = await bootstrapService(
      AppModule.forRoot(parseUsers('viewer:viewer:READ_ROLLOUT'), {
        rolloutCommand: 'http://127.0.0.1:1',
        reporting: 'http://127.0.0.1:1',
      }),
      { ...readPlatformConfig('gateway-ui-down-test', 1, {}), httpPort: 0 },
    );
    try {
      const url = `http://127.0.0.1:${(down.getHttpServer().address() as AddressInfo).port}/ui/api/rollouts/changes`;
      const response = await fetch(url, { headers: viewer });
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ errorCode: 'hawkbit.server.error.unavailable' });
    } finally {
      await down.close();
    }
  });
});
