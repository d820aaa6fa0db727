import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { bootstrapService, readPlatformConfig } from '@fleetwave/platform';
import { AppModule } from '../app.module';
import { operations } from '../openapi/api-catalogue';
import { parseUsers } from '../auth/users';
import { standInBackends } from '../testing/stand-in-backends';

/**
 * The gateway's routes against the API document: every operation it lists has a controller of
 * its own (stand-ins of the services answer nothing, so each call fails fast behind it), and the
 * front door answers the rest.
 */
describe('gateway front door', () => {
  let backends: Awaited<ReturnType<typeof standInBackends>>;
  let gateway: INestApplication;
  let base: string;
  const auth = `Basic ${Buffer.from('admin:admin').toString('base64')}`;

  beforeAll(async () => {
    backends = await standInBackends({});
    const nowhere = 'http://127.0.0.1:1';
    gateway = await bootstrapService(
      AppModule.forRoot(
        parseUsers('admin:admin:*'),
        { rolloutCommand: nowhere, reporting: nowhere },
        { backends: { commands: backends.address, queries: backends.address } },
      ),
      { ...readPlatformConfig('gateway-front-door-test', 1, {}), httpPort: 0 },
    );
    base = `http://127.0.0.1:${(gateway.getHttpServer().address() as AddressInfo).port}/rest/v1`;
  });

  afterAll(async () => {
    await gateway?.close();
    await backends?.stop();
  });

  it('takes every operation of the API document with a controller of its own; anything else is a 404', async () => {
    const noResource = (method: string, path: string) => ({
      exceptionClass: 'NotFoundException',
      errorCode: 'hawkbit.server.error.notFound',
      message: `no resource at ${method} ${path}`,
    });
    for (const { method, path } of operations) {
      const concrete = path.replace(/\{(\w+)\}/g, (_, name: string) => (/Id$/.test(name) ? '1' : 'dev-1'));
      const response = await fetch(`${base}${concrete}`, {
        method,
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: method === 'POST' || method === 'PUT' ? '{}' : undefined,
      });
      const answer = (await response.json().catch(() => undefined)) as unknown;
      expect({ method, path, answer }).not.toEqual({ method, path, answer: noResource(method, `/rest/v1${concrete}`) });
    }
    for (const [method, path] of [
      ['GET', '/nothing'],
      ['PATCH', '/rollouts/1'],
      ['DELETE', '/actions/1'],
    ]) {
      const response = await fetch(`${base}${path}`, { method, headers: { authorization: auth } });
      expect({ status: response.status, body: await response.json() }).toEqual({
        status: 404,
        body: noResource(method, `/rest/v1${path}`),
      });
    }
  });

  it('asks for credentials before it tells what exists', async () => {
    for (const path of ['/nothing', '/rollouts']) {
      const response = await fetch(`${base}${path}`);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Basic realm="fleetwave"');
    }
  });
});
