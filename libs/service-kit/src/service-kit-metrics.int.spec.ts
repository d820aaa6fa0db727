import type { AddressInfo } from 'node:net';
import { Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import { Pool } from 'pg';
import { dlqTopicOf } from '@fleetwave/contracts';
import { createKafkaClient, KafkaPublisher, silentLogger, type BatchHandler } from '@fleetwave/messaging';
import { bootstrapService, HealthController, readPlatformConfig, sampleValue } from '@fleetwave/platform';
import { eventually, testDatabaseUrl, testKafkaBrokers, uniqueName } from '@fleetwave/testing';
import type { Envelope } from './envelope';
import { ServiceKit } from './service-kit';
import { serviceKitProviders, type KitWiring } from './service-kit.providers';

@Module({})
class MetricsTestModule {}

/**
 * What a service built on the kit shows at `/metrics` and `/health/lag`, on the real broker and
 * Postgres: a consumer's counters, latency histograms and lag across a real batch, and a
 * relay's backlog before and after it publishes.
 */
describe('ServiceKit metrics (real Kafka and Postgres)', () => {
  const kafka = createKafkaClient({ brokers: testKafkaBrokers(), clientId: 'kit-metrics-test', logger: silentLogger });
  const admin = kafka.admin();
  const publisher = new KafkaPublisher({ kafka });
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 2 });
  const schemas: string[] = [];
  const topics: string[] = [];
  const apps: INestApplication[] = [];
  const kits: ServiceKit[] = [];
  const config = readPlatformConfig('kit-metrics-test', 1, { ...process.env, DATABASE_URL: testDatabaseUrl() });

  const freshTopic = async (prefix: string): Promise<string> => {
    const topic = uniqueName(prefix);
    await admin.createTopics({
      topics: [topic, dlqTopicOf(topic)].map((t) => ({ topic: t, numPartitions: 1, replicationFactor: 1 })),
      waitForLeaders: true,
    });
    topics.push(topic, dlqTopicOf(topic));
    return topic;
  };

  /** Starts a service as production does (bootstrapService), made of the kit and the health endpoints. */
  const boot = async (wiring: KitWiring): Promise<string> => {
    const schema = uniqueName('kit_metrics');
    schemas.push(schema);
    const root: DynamicModule = {
      module: MetricsTestModule,
      controllers: [HealthController],
      providers: serviceKitProviders(config, schema, { useFactory: () => wiring }),
    };
    const app = await bootstrapService(root, { ...config, httpPort: 0 });
    apps.push(app);
    return `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  };

  const metricsText = async (url: string): Promise<string> => {
    const response = await fetch(`${url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    return response.text();
  };

  beforeAll(async () => {
    await admin.connect();
    await publisher.connect();
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const kit of kits) await kit.stop();
    await publisher.disconnect();
    if (topics.length > 0) await admin.deleteTopics({ topics });
    await admin.disconnect();
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it("shows a consumer's lag while its batch is held, then its counters, timings and zero lag", async () => {
    const topic = await freshTopic('kit_metrics_consume');
    const groupId = uniqueName('kit_metrics_group');
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let handled = 0;
    const handleBatch: BatchHandler<Envelope> = async (items) => {
      await held;
      handled += items.length;
    };
    await publisher.send(topic, [
      ...Array.from({ length: 5 }, (_, i) => ({ key: 'k', value: { type: 'Counted.v1', data: { i } } })),
      // Not JSON: dead-lettered, in the same slice as the five.
      { key: 'k', value: 'not json' },
    ]);
    const url = await boot((kit: ServiceKit) => kit.consumeEventBatches(groupId, [topic], handleBatch));

    // Nothing is committed while the handler holds the slice: all six are lag.
    const lagging = await eventually(
      async () => {
        const body = (await (await fetch(`${url}/health/lag`)).json()) as { consumers: any[] };
        expect(body.consumers).toEqual([
          { groupId, lag: 6, partitions: [{ topic, partition: 0, endOffset: '6', lag: 6 }] },
        ]);
        return metricsText(url);
      },
      { timeoutMs: 30_000, description: 'lag of the held batch' },
    );
    expect(sampleValue(lagging, 'fleetwave_consumer_lag', { group: groupId, topic, partition: '0' })).toBe(6);

    release();
    const text = await eventually(
      async () => {
        const body = (await (await fetch(`${url}/health/lag`)).json()) as { consumers: any[] };
        expect(body.consumers).toEqual([
          { groupId, lag: 0, partitions: [{ topic, partition: 0, committedOffset: '6', endOffset: '6', lag: 0 }] },
        ]);
        return metricsText(url);
      },
      { timeoutMs: 30_000, description: 'the batch committed' },
    );
    expect(handled).toBe(5);
    const labels = { service: 'kit-metrics-test', group: groupId, topic };
    expect(sampleValue(text, 'fleetwave_consumer_lag', { group: groupId, topic, partition: '0' })).toBe(0);
    expect(sampleValue(text, 'fleetwave_consumer_messages_processed_total', labels)).toBe(5);
    expect(sampleValue(text, 'fleetwave_consumer_messages_dead_lettered_total', labels)).toBe(1);
    // One slice, one transaction, timed once each; the held handler took a while of it.
    expect(sampleValue(text, 'fleetwave_consumer_batch_messages_count', labels)).toBe(1);
    expect(sampleValue(text, 'fleetwave_consumer_batch_messages_sum', labels)).toBe(6);
    expect(sampleValue(text, 'fleetwave_consumer_batch_handler_seconds_count', labels)).toBe(1);
    expect(sampleValue(text, 'fleetwave_consumer_batch_transaction_seconds_count', labels)).toBe(1);
    const handlerSeconds = sampleValue(text, 'fleetwave_consumer_batch_handler_seconds_sum', labels)!;
    const transactionSeconds = sampleValue(text, 'fleetwave_consumer_batch_transaction_seconds_sum', labels)!;
    expect(handlerSeconds).toBeGreaterThan(0);
    expect(transactionSeconds).toBeGreaterThanOrEqual(handlerSeconds);
    // The HTTP edge measured the probes above under their route templates.
    expect(
      sampleValue(text, 'fleetwave_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/health/lag',
        status: '200',
      }),
    ).toBeGreaterThanOrEqual(2);
    expect(sampleValue(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it("shows a relay's backlog of unpublished events, and zero once they are on Kafka", async () => {
    const topic = await freshTopic('kit_metrics_relay');
    const kit = new ServiceKit(config, uniqueName('kit_metrics'));
    kits.push(kit);
    schemas.push(kit.schema);
    kit.relay(['metered'], (event) => ({ topic, key: event.streamName }));
    const relayLabels = { relay: 'kit-metrics-test.relay.metered' };
    await kit.store.migrate();
    await kit.store.appendToStream('metered-1', [
      ...Array.from({ length: 7 }, (_, i) => ({ type: 'Metered.v1', data: { i } })),
    ]);
    // Events of another category are not this relay's backlog.
    await kit.store.appendToStream('other-1', [{ type: 'Other.v1', data: {} }]);
    const before = await kit.metrics.exposition();
    expect(sampleValue(before, 'fleetwave_relay_backlog_events', relayLabels)).toBe(7);
    expect(sampleValue(before, 'fleetwave_relay_events_published_total', relayLabels)).toBe(0);

    await kit.start();
    await kit.store.appendToStream('metered-2', [{ type: 'Metered.v1', data: { i: 7 } }]);
    const after = await eventually(
      async () => {
        const text = await kit.metrics.exposition();
        expect(sampleValue(text, 'fleetwave_relay_events_published_total', relayLabels)).toBe(8);
        return text;
      },
      { timeoutMs: 30_000, description: 'every event relayed' },
    );
    expect(sampleValue(after, 'fleetwave_relay_backlog_events', relayLabels)).toBe(0);
    expect(sampleValue(after, 'fleetwave_relay_publish_seconds_count', relayLabels)).toBeGreaterThanOrEqual(1);
    const [end] = await admin.fetchTopicOffsets(topic);
    expect(end.high).toBe('8');
  });
});
