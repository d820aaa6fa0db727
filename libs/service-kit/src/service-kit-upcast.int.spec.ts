import { Logger } from '@nestjs/common';
import { Pool } from 'pg';
import { dlqTopicOf, eventGuard } from '@fleetwave/contracts';
import { createKafkaClient, KafkaPublisher, silentLogger, type BatchHandler } from '@fleetwave/messaging';
import { readPlatformConfig } from '@fleetwave/platform';
import { eventually, testDatabaseUrl, testKafkaBrokers, uniqueName } from '@fleetwave/testing';
import type { Envelope } from './envelope';
import { ServiceKit } from './service-kit';

interface CounterEventMap {
  'CounterMoved.v2': { counterId: number; delta: number; reason: string };
}
const isCounterEvent = eventGuard<CounterEventMap>();

describe('ServiceKit upcasting (real Kafka and Postgres)', () => {
  const kafka = createKafkaClient({ brokers: testKafkaBrokers(), clientId: 'kit-upcast-test', logger: silentLogger });
  const admin = kafka.admin();
  const publisher = new KafkaPublisher({ kafka });
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 2 });
  const schema = uniqueName('kit_upcast');
  const topic = uniqueName('kit_upcast');
  let kit: ServiceKit;
  const seen: Envelope[] = [];
  const moved: Envelope[] = [];
  const movedGroup = uniqueName('kit_upcast_moved');

  beforeAll(async () => {
    Logger.overrideLogger(false);
    await admin.connect();
    await publisher.connect();
    await admin.createTopics({
      topics: [topic, dlqTopicOf(topic)].map((t) => ({ topic: t, numPartitions: 1, replicationFactor: 1 })),
      waitForLeaders: true,
    });
    const config = readPlatformConfig('kit-upcast-test', 1, { ...process.env, DATABASE_URL: testDatabaseUrl() });
    kit = new ServiceKit(config, schema);
    // As a service would in its wiring: the old version's step, and a consumer of the current one only.
    kit.upcasters.register<{ counterId: number; by: number }, 'CounterMoved.v2'>(
      'CounterMoved.v1',
      'CounterMoved.v2',
      ({ counterId, by }, metadata) => ({ counterId, delta: by, reason: `moved by ${String(metadata.actor)}` }),
    );
    const handleBatch: BatchHandler<Envelope> = async (items) => void seen.push(...items.map((i) => i.message));
    kit.consumeEventBatches(uniqueName('kit_upcast_group'), [topic], handleBatch, ['CounterMoved.v2']);
    // A narrower consumer: of the current version, only the moves that move something.
    kit.consumeEventBatches(
      movedGroup,
      [topic],
      async (items) => void moved.push(...items.map((i) => i.message)),
      ['CounterMoved.v2'],
      { relevant: (event) => isCounterEvent(event, 'CounterMoved.v2') && event.data.delta !== 0 },
    );
    // Touched before start, so that the kit creates and migrates its store.
    expect(kit.store).toBeDefined();
    await kit.start();
    await kit.consumersStarted();
  });

  afterAll(async () => {
    await kit?.stop();
    await publisher.disconnect();
    await admin.deleteTopics({ topics: [topic, dlqTopicOf(topic)] }).catch(() => undefined);
    await admin.disconnect();
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it('hands a consumer the current version of an old envelope from Kafka', async () => {
    await publisher.send(topic, [
      { key: '1', value: { type: 'CounterMoved.v1', data: { counterId: 1, by: 3 }, metadata: { actor: 'ann' } } },
      { key: '1', value: { type: 'CounterReset.v1', data: { counterId: 1 } } },
      { key: '1', value: { type: 'CounterMoved.v2', data: { counterId: 1, delta: -1, reason: 'undo' } } },
    ]);

    await eventually(() => expect(seen).toHaveLength(2), { timeoutMs: 30_000 });
    expect(seen.map((e) => e.type)).toEqual(['CounterMoved.v2', 'CounterMoved.v2']);
    expect(seen.map((e) => (isCounterEvent(e, 'CounterMoved.v2') ? e.data : undefined))).toEqual([
      { counterId: 1, delta: 3, reason: 'moved by ann' },
      { counterId: 1, delta: -1, reason: 'undo' },
    ]);
    expect(seen[0].metadata).toEqual({ actor: 'ann' });
  });

  it('narrows the type filter with `relevant`, on the upcast envelope, and records only what it hands over', async () => {
    const sent = [
      { type: 'CounterMoved.v1', data: { counterId: 2, by: 0 }, metadata: { actor: 'ann' } },
      { type: 'CounterMoved.v2', data: { counterId: 2, delta: 0, reason: 'none' } },
      { type: 'CounterMoved.v1', data: { counterId: 2, by: 5 }, metadata: { actor: 'ann' } },
      { type: 'CounterReset.v1', data: { counterId: 2 } },
    ];
    await publisher.send(
      topic,
      sent.map((value, i) => ({ key: '2', value, headers: { ce_id: `moved-${i}`, ce_type: value.type } })),
    );

    const ofCounter2 = () =>
      moved.flatMap((e) => (isCounterEvent(e, 'CounterMoved.v2') && e.data.counterId === 2 ? [e.data] : []));
    await eventually(() => expect(ofCounter2()).toHaveLength(1), { timeoutMs: 30_000 });
    expect(ofCounter2()).toEqual([{ counterId: 2, delta: 5, reason: 'moved by ann' }]);
    const { rows } = await pool.query<{ message_id: string }>(
      `select message_id from "${schema}".processed_messages where consumer = $1 and message_id like 'moved-%'`,
      [movedGroup],
    );
    expect(rows.map((r) => r.message_id)).toEqual(['moved-2']);
  });

  it('reads the current version from its store, which keeps the event as written', async () => {
    await kit.store.appendToStream('counter-1', [
      { type: 'CounterMoved.v1', data: { counterId: 1, by: 2 }, metadata: { actor: 'bob' } },
    ]);

    const [event] = await kit.store.readStream('counter-1');
    expect(event).toMatchObject({
      type: 'CounterMoved.v2',
      data: { counterId: 1, delta: 2, reason: 'moved by bob' },
      revision: 0,
    });
    const { rows } = await pool.query(`select type, data from "${schema}".events where stream_name = 'counter-1'`);
    expect(rows).toEqual([{ type: 'CounterMoved.v1', data: { counterId: 1, by: 2 } }]);
  });
});
