import { Pool } from 'pg';
import { dlqTopicOf, type DeviceInboundMessage } from '@fleetwave/contracts';
import { createKafkaClient, IdempotentConsumer, KafkaPublisher, silentLogger } from '@fleetwave/messaging';
import { eventually, testDatabaseUrl, testKafkaBrokers, uniqueName } from '@fleetwave/testing';
import { IntakeFixture } from '../../rollouts/processes/testing/intake.fixture';
import { defaultIntakeLimits } from '../../rollouts/processes/dynamic-intake.step';
import type { DynamicIntakeWorker } from '../../rollouts/processes/dynamic-intake.worker';
import { DeviceRegistrationConsumer } from './device-registration.consumer';
import { isRegistrationInput, parseRegistrationInput } from './registration-input';

/**
 * THING_CREATED to a running dynamic rollout (Kafka + Postgres): the registration consumer as the
 * app wires it inserts the devices and notifies in its batch transaction; the intake worker,
 * listening and otherwise idle for a minute (its sweep period), takes them in once that commits.
 */
describe('devices registered over Kafka join a running dynamic rollout (Kafka + Postgres)', () => {
  const kafka = createKafkaClient({ brokers: testKafkaBrokers(), clientId: uniqueName('wake'), logger: silentLogger });
  const admin = kafka.admin();
  const publisher = new KafkaPublisher({ kafka, logger: silentLogger });
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 6 });
  const fixture = new IntakeFixture(pool);
  const topic = uniqueName('device_inbound');
  const registration = new DeviceRegistrationConsumer(fixture.schema);
  let consumer: IdempotentConsumer<DeviceInboundMessage | null> | undefined;
  let worker: DynamicIntakeWorker | undefined;

  beforeAll(async () => {
    await fixture.migrate();
    await admin.connect();
    await admin.createTopics({
      topics: [topic, dlqTopicOf(topic)].map((t) => ({ topic: t, numPartitions: 2, replicationFactor: 1 })),
      waitForLeaders: true,
    });
    await publisher.connect();
  });

  afterAll(async () => {
    await consumer?.stop();
    await worker?.onApplicationShutdown();
    await publisher.disconnect();
    await admin.deleteTopics({ topics: [topic, dlqTopicOf(topic)] }).catch(() => undefined);
    await admin.disconnect();
    await fixture.dispose();
    await pool.end();
  });

  it('takes devices in as soon as their registration commits, leaving the static group as it was', async () => {
    const existing = await fixture.addTargets('wk', 2);
    const { dynamicGroup } = await fixture.createDynamicRollout(1, 'name==wk-*', 1, {
      nameSuffix: 'w',
      targetCount: 10,
    });
    await fixture.command(1, 'start');
    worker = fixture.intakeWorker(500, defaultIntakeLimits, true);
    await worker.onApplicationBootstrap();

    consumer = new IdempotentConsumer<DeviceInboundMessage | null>({
      kafka,
      pool,
      schema: fixture.schema,
      groupId: uniqueName('wake_group'),
      topics: [topic],
      parse: parseRegistrationInput,
      relevant: isRegistrationInput,
      handleBatch: (items, ctx) => registration.handleBatch(items, ctx),
      logger: silentLogger,
      maxWaitTimeMs: 200,
    });
    await consumer.start();
    const devices: DeviceInboundMessage[] = ['wk-10', 'wk-11', 'wk-12'].map((controllerId) => ({
      type: 'THING_CREATED',
      controllerId,
      name: controllerId,
    }));
    await publisher.sendBatch([
      { topic, messages: devices.map((m) => ({ key: m.controllerId, value: JSON.stringify(m) })) },
    ]);

    await eventually(
      async () => {
        const rows = await fixture.memberRows(1);
        expect(rows.filter((r) => r.groupId === dynamicGroup.groupId)).toHaveLength(3);
      },
      { timeoutMs: 20_000, description: 'registered devices joined the dynamic group' },
    );
    const { rows } = await pool.query<{ controller_id: string }>(
      `select t.controller_id from ${fixture.schema}.rollout_members m join ${fixture.schema}.targets t on t.id = m.target_id
       where m.group_id = $1 order by t.controller_id`,
      [dynamicGroup.groupId],
    );
    expect(rows.map((r) => r.controller_id)).toEqual(['wk-10', 'wk-11', 'wk-12']);
    expect((await fixture.memberRows(1)).filter((r) => r.groupId === 101).map((r) => r.targetId)).toEqual(existing);
  });
});
