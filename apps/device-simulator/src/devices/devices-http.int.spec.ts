import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrapService, readPlatformConfig } from '@fleetwave/platform';
import { uniqueName } from '@fleetwave/testing';
import { FleetKafkaFixture } from '../../testing/fleet-kafka.fixture';
import { AppModule } from '../app.module';
import { defaultSimulatorConfig } from './simulator.config';

/** The simulator as it starts (AppModule, bootstrapService) on private topics, through its control API. */
describe('device simulator control API (real Kafka, private topics)', () => {
  const fx = new FleetKafkaFixture(3);
  const dir = mkdtempSync(join(tmpdir(), 'device-simulator-http-'));
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    await fx.setUp();
    const platform = { ...readPlatformConfig('device-simulator', 8085), httpPort: 0 };
    app = await bootstrapService(
      AppModule.forRoot(platform, {
        ...defaultSimulatorConfig,
        inboundTopic: fx.inbound,
        outboundTopic: fx.outbound,
        groupId: uniqueName('sim_http'),
        stateFile: join(dir, 'devices.json'),
      }),
      platform,
    );
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app?.close();
    await fx.tearDown();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = async (body: unknown) => {
    const response = await fetch(`${base}/simulator/devices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };

  it('answers 201 once every THING_CREATED of a large registration is acknowledged', async () => {
    const prefix = uniqueName('http');
    const registered = await post({ prefix, count: 12_345, behaviour: 'fail' });

    expect(registered).toEqual({
      status: 201,
      body: { registered: 12_345, first: `${prefix}-00001`, last: `${prefix}-12345` },
    });
    // Acknowledged before the answer, so already all on the topic.
    expect(await fx.count(fx.inbound)).toBe(12_345);
    const status = await fetch(`${base}/simulator/devices`).then((r) => r.json());
    expect(status).toEqual({ devices: 12_345, answered: 0 });
  });

  it('refuses a registration it cannot serve', async () => {
    expect((await post({ prefix: 'bad prefix', count: 3 })).status).toBe(400);
    expect((await post({ prefix: 'ok', count: 0 })).status).toBe(400);
  });
});
