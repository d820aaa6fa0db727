import type { AddressInfo } from 'node:net';
import { Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Consumer } from 'kafkajs';
import { Pool } from 'pg';
import { dlqTopicOf } from '@fleetwave/contracts';
import { createKafkaClient, KafkaPublisher, silentLogger, type BatchHandler } from '@fleetwave/messaging';
import { HealthController, readPlatformConfig } from '@fleetwave/platform';
import { eventually, testDatabaseUrl, testKafkaBrokers, uniqueName } from '@fleetwave/testing';
import type { Envelope } from './envelope';
import { parseEnvelope } from './envelope';
import type { ServiceKit } from './service-kit';
import { serviceKitProviders, type KitWiring } from './service-kit.providers';

@Module({})
class KitTestModule {}

describe('ServiceKit health (real Kafka and Postgres, over HTTP)', () => {
  const kafka = createKafkaClient({ brokers: testKafkaBrokers(), clientId: 'kit-int-test', logger: silentLogger });
  const admin = kafka.admin();
  const publisher = new KafkaPublisher({ kafka });
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 2 });
  const schemas: string[] = [];
  const topics: string[] = [];
  const apps: INestApplication[] = [];
  const blockers: Consumer[] = [];

  const freshTopic = async (prefix: string): Promise<string> => {
    const topic = uniqueName(prefix);
    await admin.createTopics({
      topics: [topic, dlqTopicOf(topic)].map((t) => ({ topic: t, numPartitions: 1, replicationFactor: 1 })),
      waitForLeaders: true,
    });
    topics.push(topic, dlqTopicOf(topic));
    return topic;
  };

  /** Boots a service made of the kit and the health endpoints, listening on a free port. */
  const boot = async (wiring: KitWiring): Promise<string> => {
    const schema = uniqueName('kit_test');
    schemas.push(schema);
    const config = readPlatformConfig('kit-int-test', 1, { ...process.env, DATABASE_URL: testDatabaseUrl() });
    const root: DynamicModule = {
      module: KitTestModule,
      controllers: [HealthController],
      providers: serviceKitProviders(config, schema, { useFactory: () => wiring }),
    };
    const app = await NestFactory.create(root, { logger: false });
    apps.push(app);
    await app.listen(0, '127.0.0.1');
    return `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  };

  const get = async (url: string): Promise<{ status: number; body: any }> => {
    const response = await fetch(url);
    return { status: response.status, body: await response.json() };
  };

  beforeAll(async () => {
    await admin.connect();
    await publisher.connect();
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await Promise.allSettled(blockers.map((b) => b.disconnect()));
    await publisher.disconnect();
    if (topics.length > 0) await admin.deleteTopics({ topics });
    await admin.disconnect();
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it('answers liveness before its consumers have joined, and readiness only once they have', async () => {
    const topic = await freshTopic('kit_join');
    const groupId = uniqueName('kit_join_group');
    // A member of the same group busy with a message cannot rejoin, so the kit's join waits for it.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let busy = false;
    const blocker = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
    blockers.push(blocker);
    await blocker.connect();
    await blocker.subscribe({ topics: [topic], fromBeginning: true });
    await blocker.run({
      eachMessage: async () => {
        busy = true;
        await held;
      },
    });
    await publisher.send(topic, [{ key: 'k', value: { type: 'Held.v1', data: {} } }]);
    await eventually(() => expect(busy).toBe(true), { timeoutMs: 30_000 });

    const handled: string[] = [];
    const handleBatch: BatchHandler<Envelope> = async (items) => void handled.push(...items.map((i) => i.message.type));
    const url = await boot((kit: ServiceKit) => kit.consumeEventBatches(groupId, [topic], handleBatch));

    expect(await get(`${url}/health/live`)).toEqual({ status: 200, body: { status: 'UP' } });
    const joining = await get(`${url}/health/ready`);
    expect(joining.status).toBe(503);
    expect(joining.body.checks).toEqual({ postgres: 'UP', kafka: 'DOWN', subscriptions: 'UP' });
    expect(joining.body.details.kafka.consumers).toMatchObject([{ groupId, healthy: false, groupJoined: false }]);

    // The blocker finishes its message and leaves, so the one partition is the kit's.
    release();
    await blocker.disconnect();
    await eventually(async () => expect((await get(`${url}/health/ready`)).status).toBe(200), { timeoutMs: 30_000 });
    await publisher.send(topic, [{ key: 'k', value: { type: 'Later.v1', data: {} } }]);
    await eventually(() => expect(handled).toContain('Later.v1'), { timeoutMs: 30_000 });
  });

  it('turns readiness red with the stuck message and its error, and green again once it settles', async () => {
    const topic = await freshTopic('kit_stuck');
    const groupId = uniqueName('kit_stuck_group');
    let failing = true;
    const handleBatch: BatchHandler<Envelope> = async (_items, ctx) => {
      // A real lost connection each time: transient, so the batch is retried, never skipped.
      if (failing) await ctx.tx.query('SELECT pg_terminate_backend(pg_backend_pid())');
    };
    const url = await boot((kit: ServiceKit) =>
      kit.consume<Envelope>({ groupId, topics: [topic], parse: parseEnvelope, handleBatch, stuckAfterMs: 1_000 }),
    );
    await eventually(async () => expect((await get(`${url}/health/ready`)).status).toBe(200), { timeoutMs: 30_000 });

    await publisher.send(topic, [{ key: 'k', value: { type: 'Stuck.v1', data: {} }, headers: { ce_id: 'stuck-1' } }]);
    const stuck = await eventually(
      async () => {
        const ready = await get(`${url}/health/ready`);
        expect(ready.status).toBe(503);
        expect(ready.body.details.kafka.consumers[0].stuck).toBeDefined();
        return ready.body;
      },
      { timeoutMs: 30_000 },
    );
    expect(stuck.details.kafka.consumers[0]).toMatchObject({
      groupId,
      healthy: false,
      stuck: {
        topic,
        partition: 0,
        offset: '0',
        messageId: 'stuck-1',
        lastError: expect.stringContaining('terminating connection due to administrator command (SQLSTATE 57P01)'),
      },
    });

    failing = false;
    await eventually(async () => expect((await get(`${url}/health/ready`)).status).toBe(200), { timeoutMs: 30_000 });
  });
});
