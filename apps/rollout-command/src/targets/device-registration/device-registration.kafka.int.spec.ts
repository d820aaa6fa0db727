import { Pool } from 'pg';
import { dlqTopicOf, type DeviceInboundMessage } from '@fleetwave/contracts';
import { createKafkaClient, IdempotentConsumer, KafkaPublisher, silentLogger } from '@fleetwave/messaging';
import { eventually, testDatabaseUrl, testKafkaBrokers, uniqueName } from '@fleetwave/testing';
import { migrateSchema } from '@fleetwave/platform';
import { inventoryMigrationFor } from '../../inventory/inventory.migration';
import { DeviceRegistrationConsumer } from './device-registration.consumer';
import { isRegistrationInput, parseRegistrationInput } from './registration-input';

/** The registration consumer as the app wires it, on a fresh topic and schema. */
describe('device registration from Kafka in batches (Kafka + Postgres)', () => {
  const kafka = createKafkaClient({
    brokers: testKafkaBrokers(),
    clientId: uniqueName('registration'),
    logger: silentLogger,
  });
  const admin = kafka.admin();
  const publisher = new KafkaPublisher({ kafka, logger: silentLogger });
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 6 });
  const schema = uniqueName('registration_kafka');
  const topic = uniqueName('device_inbound');
  const registration = new DeviceRegistrationConsumer(schema);
  let consumer: IdempotentConsumer<DeviceInboundMessage | null> | undefined;

  beforeAll(async () => {
    await migrateSchema(pool, inventoryMigrationFor(schema));
    await admin.connect();
    await admin.createTopics({
      topics: [topic, dlqTopicOf(topic)].map((t) => ({ topic: t, numPartitions: 3, replicationFactor: 1 })),
      waitForLeaders: true,
    });
    await publisher.connect();
  });

  afterAll(async () => {
    await consumer?.stop();
    await publisher.disconnect();
    await admin.deleteTopics({ topics: [topic, dlqTopicOf(topic)] }).catch(() => undefined);
    await admin.disconnect();
    await pool.query(`drop schema if exists ${schema} cascade`);
    await pool.end();
  });

  it('registers every device once, applies later attribute updates, and skips action status messages', async () => {
    const devices = 10_000;
    const messages: DeviceInboundMessage[] = [];
    for (let i = 0; i < devices; i++) {
      messages.push({ type: 'THING_CREATED', controllerId: `kdev-${i}`, attributes: { hw: 'rev1' } });
    }
    // Every 10th device registers again, then reports new attributes; every 100th also sends a status.
    for (let i = 0; i < devices; i += 10) {
      messages.push({ type: 'THING_CREATED', controllerId: `kdev-${i}`, name: `again-${i}` });
      messages.push({ type: 'UPDATE_ATTRIBUTES', controllerId: `kdev-${i}`, attributes: { sw: '2' } });
      if (i % 100 === 0) {
        messages.push({ type: 'UPDATE_ACTION_STATUS', controllerId: `kdev-${i}`, actionId: 1, status: 'RUNNING' });
      }
    }
    await publisher.sendBatch([
      { topic, messages: messages.map((m) => ({ key: m.controllerId, value: JSON.stringify(m) })) },
    ]);

    const started = Date.now();
    consumer = new IdempotentConsumer<DeviceInboundMessage | null>({
      kafka,
      pool,
      schema,
      groupId: uniqueName('registration_group'),
      topics: [topic],
      parse: parseRegistrationInput,
      relevant: isRegistrationInput,
      handleBatch: (items, ctx) => registration.handleBatch(items, ctx),
      logger: silentLogger,
      maxWaitTimeMs: 300,
      partitionsConsumedConcurrently: 3,
    });
    await consumer.start();

    const count = async () =>
      Number((await pool.query<{ n: string }>(`select count(*) as n from ${schema}.targets`)).rows[0].n);
    await eventually(
      async () => {
        expect(await count()).toBe(devices);
        const { rows } = await pool.query<{ n: string }>(
          `select count(*) as n from ${schema}.targets where attributes->>'sw' = '2'`,
        );
        expect(Number(rows[0].n)).toBe(devices / 10);
      },
      { timeoutMs: 60_000, description: 'all devices registered and updated' },
    );
    process.stdout.write(`registration: ${messages.length} messages applied in ${Date.now() - started} ms\n`);

    const { rows } = await pool.query<{ controller_id: string; name: string; attributes: Record<string, string> }>(
      `select controller_id, name, attributes from ${schema}.targets where controller_id in ('kdev-10', 'kdev-11')
       order by controller_id`,
    );
    expect(rows).toEqual([
      { controller_id: 'kdev-10', name: 'again-10', attributes: { hw: 'rev1', sw: '2' } },
      { controller_id: 'kdev-11', name: 'kdev-11', attributes: { hw: 'rev1' } },
    ]);
  });
});
