import { Module, type INestApplication } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import {
  bootstrapService,
  HawkbitExceptionFilter,
  HealthController,
  METRICS,
  READINESS_CHECKS,
  readPlatformConfig,
  ServiceMetrics,
} from '@fleetwave/platform';

/**
 * rollout-command's HTTP edge, started in-process the way the service starts it (bootstrapService:
 * body guards, metrics endpoint, hawkBit's error filter) with its health endpoints. The service
 * serves no Management API (the gateway does, over the internal gRPC API), but whatever reaches
 * its HTTP port is answered with hawkBit's error body, never a 500, and a hostile body is refused
 * before anything reads it.
 */
describe('rollout-command HTTP edge', () => {
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    @Module({
      controllers: [HealthController],
      providers: [
        { provide: READINESS_CHECKS, useValue: [] },
        { provide: METRICS, useValue: new ServiceMetrics('rollout-command', { processMetrics: false }) },
        { provide: APP_FILTER, useClass: HawkbitExceptionFilter },
      ],
    })
    class EdgeModule {}

    app = await bootstrapService(EdgeModule, {
      ...readPlatformConfig('rollout-command-edge-test', 1, {}),
      httpPort: 0,
    });
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(() => app?.close());

  const send = async (method: string, path: string, body?: string, type = 'application/json') => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': type },
      body,
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
  const refused = (errorCode: string) => ({
    exceptionClass: expect.any(String),
    errorCode,
    message: expect.any(String),
  });
  const notReadable = 'hawkbit.server.error.rest.body.notReadable';

  it.each([
    ['a body nested 100,000 deep', 400, deep(100_000), 'application/json', notReadable],
    ['a body nested 33 deep', 400, deep(33), 'application/json', notReadable],
    [
      'a 2 MB body',
      413,
      JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }),
      'application/json',
      'hawkbit.server.error.rest.body.tooLarge',
    ],
    ['an escaped NUL', 400, '{"name":"r\\u0000"}', 'application/json', notReadable],
    ['malformed JSON', 400, '{"name": ', 'application/json', notReadable],
    [
      'a text body',
      415,
      'name=x',
      'application/x-www-form-urlencoded',
      'hawkbit.server.error.rest.mediaType.unsupported',
    ],
  ])('refuses %s with %i and hawkBit’s error body, whatever the path', async (_case, status, body, type, errorCode) => {
    for (const path of ['/rest/v1/rollouts', '/health/live']) {
      expect(await send('POST', path, body, type)).toEqual({ status, body: refused(errorCode) });
    }
  });

  it('says why a body is refused', async () => {
    expect((await send('POST', '/rest/v1/rollouts', deep(100_000))).body).toEqual({
      exceptionClass: 'MessageNotReadableException',
      errorCode: notReadable,
      message: 'request body nests arrays or objects deeper than 32 levels',
    });
    expect(
      (await send('POST', '/rest/v1/rollouts', JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }))).body,
    ).toMatchObject({
      errorCode: 'hawkbit.server.error.rest.body.tooLarge',
      message: 'request body exceeds 1048576 bytes',
    });
  });

  it('answers the Management API, which it no longer serves, with 404 in hawkBit’s shape', async () => {
    const rollout = JSON.stringify({ name: 'r', distributionSetId: 1, targetFilterQuery: 'name==*', amountGroups: 1 });
    for (const [method, path, body] of [
      ['POST', '/rest/v1/rollouts', rollout],
      ['POST', '/rest/v1/rollouts/1/start', undefined],
      ['PUT', '/rest/v1/system/configs/rollout.approval.enabled', '{"value":true}'],
      ['GET', '/rest/v1/targets', undefined],
    ] as const) {
      expect([path, await send(method, path, body)]).toEqual([path, { status: 404, body: refused('http.404') }]);
    }
  });

  it('answers its health and metrics, refused requests measured too', async () => {
    expect(await send('GET', '/health/live')).toEqual({ status: 200, body: { status: 'UP' } });
    expect(await send('GET', '/health/ready')).toEqual({ status: 200, body: { status: 'UP', checks: {} } });
    await send('POST', '/rest/v1/rollouts', 'name=x', 'application/x-www-form-urlencoded');
    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(
      /fleetwave_http_request_duration_seconds_count\{[^}]*method="POST",route="\/rest\/v1\/rollouts",status="415"[^}]*\} [1-9]/,
    );
  });
});
