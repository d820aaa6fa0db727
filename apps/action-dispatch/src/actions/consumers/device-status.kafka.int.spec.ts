import { randomUUID } from 'node:crypto';
import { dlqTopicOf, parseDeviceInbound, type DeviceInboundMessage } from '@fleetwave/contracts';
import {
  createKafkaClient,
  DeadLetterHeaders,
  ensureTopics,
  IdempotentConsumer,
  KafkaPublisher,
  silentLogger,
} from '@fleetwave/messaging';
import { eventually, testKafkaBrokers, uniqueName } from '@fleetwave/testing';
import { actionStream } from '../action-streams';
import { DispatchFixture, groupStarted, rolloutOf, rolloutStarted } from '../testing/dispatch.fixture';
import { DeviceStatusConsumer } from './device-status.consumer';
import { GroupEventsConsumer } from './group-events.consumer';
import { RolloutEventsConsumer } from './rollout-events.consumer';

describe('DeviceStatusConsumer behind the idempotent consumer (real Kafka and Postgres)', () => {
  const fx = new DispatchFixture();
  const kafka = createKafkaClient({
    brokers: testKafkaBrokers(),
    clientId: 'device-status-test',
    logger: silentLogger,
  });
  const publisher = new KafkaPublisher({ kafka, logger: silentLogger });
  const topic = uniqueName('device_inbound');
  const dlq = dlqTopicOf(topic);
  let consumer: IdempotentConsumer<DeviceInboundMessage> | undefined;
  const dlqReader = kafka.consumer({ groupId: uniqueName('dlq_reader'), maxWaitTimeInMs: 200 });
  const deadLetters: { value: string; reason: string }[] = [];

  beforeAll(async () => {
    await fx.setUp();
    await ensureTopics(testKafkaBrokers(), [topic, dlq], 1);
    await publisher.connect();
    await dlqReader.connect();
    await dlqReader.subscribe({ topics: [dlq], fromBeginning: true });
    await dlqReader.run({
      eachMessage: async ({ message }) => {
        deadLetters.push({
          value: message.value?.toString() ?? '',
          reason: message.headers?.[DeadLetterHeaders.reason]?.toString() ?? '',
        });
      },
    });
  });
  afterAll(async () => {
    await consumer?.stop();
    await dlqReader.disconnect();
    await publisher.disconnect();
    await fx.dispose();
  });

  it('applies a partition batch once, folds reports in order, skips redeliveries and dead-letters unknown actions', async () => {
    const rollout = rolloutOf([2]);
    const rollouts = new RolloutEventsConsumer(fx.deps);
    await fx.run(
      rollouts.handleBatch,
      [rollout.created, ...rollout.members, rolloutStarted(rollout.rolloutId)].map((e) => fx.item(e)),
    );
    await fx.run(new GroupEventsConsumer(fx.deps).handleBatch, [
      fx.item(groupStarted(rollout.rolloutId, rollout.groups[0])),
    ]);
    await fx.dispatch();
    const [a, b] = await fx.actions(rollout.rolloutId);
    const report = (action: { id: number; controller: string }, status: string, id = randomUUID()) => ({
      key: action.controller,
      value: { type: 'UPDATE_ACTION_STATUS', controllerId: action.controller, actionId: action.id, status },
      headers: { ce_id: id },
    });
    const finishedA = report(a, 'FINISHED');
    await publisher.sendBatch([
      {
        topic,
        messages: [
          report(a, 'DOWNLOAD'),
          finishedA,
          // The same message again (same ce_id), as after a producer retry.
          { ...finishedA },
          report({ id: b.id + 1_000_000, controller: b.controller }, 'FINISHED'),
          report(b, 'ERROR'),
        ],
      },
    ]);

    consumer = new IdempotentConsumer<DeviceInboundMessage>({
      groupId: uniqueName('device_status'),
      topics: [topic],
      kafka,
      pool: fx.pool,
      schema: fx.schema,
      parse: parseDeviceInbound,
      relevant: (message) => message.type === 'UPDATE_ACTION_STATUS',
      handleBatch: new DeviceStatusConsumer(fx.deps).handleBatch,
      logger: silentLogger,
      maxWaitTimeMs: 200,
    });
    await consumer.start();

    await eventually(
      async () =>
        expect((await fx.actions(rollout.rolloutId)).map((x) => [x.status, x.revision])).toEqual([
          ['finished', 3],
          ['error', 2],
        ]),
      { description: 'both actions final' },
    );
    await eventually(() => expect(deadLetters.map((d) => d.reason)).toEqual([`unknown action ${b.id + 1_000_000}`]), {
      description: 'the unknown action dead-lettered',
    });
    const types = (await fx.events(actionStream(a.id))).map((e) => e.type);
    expect(types).toEqual([
      'ActionStatusChanged.v1',
      'DeviceMessageRequested.v1',
      'ActionStatusChanged.v1',
      'ActionStatusChanged.v1',
    ]);
  });
});
