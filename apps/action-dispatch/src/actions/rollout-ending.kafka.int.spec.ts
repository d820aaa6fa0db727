import { randomUUID } from 'node:crypto';
import { parseDeviceInbound, Topics, type DeviceInboundMessage, type RecordedEvent } from '@fleetwave/contracts';
import { createRelay, relayMessageFor, type Subscription } from '@fleetwave/event-store';
import {
  createKafkaClient,
  ensureTopics,
  IdempotentConsumer,
  KafkaPublisher,
  silentLogger,
} from '@fleetwave/messaging';
import { eventually, testKafkaBrokers, uniqueName } from '@fleetwave/testing';
import { actionRelayRoute } from './action-relay.route';
import { settledStream } from './action-streams';
import { DeviceStatusConsumer } from './consumers/device-status.consumer';
import { GroupEventsConsumer } from './consumers/group-events.consumer';
import { RolloutEventsConsumer } from './consumers/rollout-events.consumer';
import { DispatchFixture, groupStarted, rolloutOf, rolloutStarted, rolloutStopping } from './testing/dispatch.fixture';

/** A relayed record as a connector or the group workflow reads it. */
interface Seen {
  topic: string;
  key: string;
  value: { type: string; data?: { rolloutId?: number; reason?: string }; actionId?: number };
}

describe('a stop end to end through Kafka: cancel instructions out, device answers in, one settlement out', () => {
  const fx = new DispatchFixture();
  const kafka = createKafkaClient({
    brokers: testKafkaBrokers(),
    clientId: 'rollout-ending-test',
    logger: silentLogger,
  });
  const publisher = new KafkaPublisher({ kafka, logger: silentLogger });
  // The production topics, each mapped to a fresh one of this test.
  const topics = {
    [Topics.deviceOutbound]: uniqueName('device_outbound'),
    [Topics.actionEvents]: uniqueName('action_events'),
  };
  const inbound = uniqueName('device_inbound');
  const seen: Seen[] = [];
  const reader = kafka.consumer({ groupId: uniqueName('ending_reader'), maxWaitTimeInMs: 200 });
  let relay: Subscription | undefined;
  let consumer: IdempotentConsumer<DeviceInboundMessage> | undefined;

  beforeAll(async () => {
    await fx.setUp();
    await ensureTopics(testKafkaBrokers(), [...Object.values(topics), inbound], 1);
    await publisher.connect();
    await reader.connect();
    await reader.subscribe({ topics: Object.values(topics), fromBeginning: true });
    await reader.run({
      eachMessage: async ({ topic, message }) => {
        seen.push({ topic, key: String(message.key), value: JSON.parse(String(message.value)) as Seen['value'] });
      },
    });
    // The app's relay (its categories and its route), publishing to this test's topics.
    relay = createRelay({
      store: fx.store,
      subscriptionId: 'action-dispatch.relay.test',
      categories: ['action', 'actions'],
      publish: async (events: RecordedEvent[]) => {
        const messages = events.map((event) => {
          const route = actionRelayRoute(event);
          const message = relayMessageFor(event, 'fleetwave/action-dispatch');
          const value = route.value === undefined ? message.value : JSON.stringify(route.value);
          return { topic: topics[route.topic as keyof typeof topics], message: { ...message, key: route.key, value } };
        });
        for (const topic of Object.values(topics)) {
          const batch = messages.filter((m) => m.topic === topic).map((m) => m.message);
          if (batch.length > 0) await publisher.sendBatch([{ topic, messages: batch }]);
        }
      },
    });
    await relay.start();
  });
  afterAll(async () => {
    await consumer?.stop();
    await relay?.stop();
    await reader.disconnect();
    await publisher.disconnect();
    await fx.dispose();
  });

  it('sends one CANCEL_DOWNLOAD per active action keyed by its device, and RolloutActionsSettled once keyed by the rollout', async () => {
    const rollout = rolloutOf([2, 1]);
    await fx.run(
      new RolloutEventsConsumer(fx.deps).handleBatch,
      [rollout.created, ...rollout.members, rolloutStarted(rollout.rolloutId)].map((e) => fx.item(e)),
    );
    await fx.run(new GroupEventsConsumer(fx.deps).handleBatch, [
      fx.item(groupStarted(rollout.rolloutId, rollout.groups[0])),
    ]);
    await fx.dispatch();
    await fx.run(new RolloutEventsConsumer(fx.deps).handleBatch, [fx.item(rolloutStopping(rollout.rolloutId))]);
    await fx.dispatch();
    const [a1, a2] = await fx.actions(rollout.rolloutId);

    const outbound = () => seen.filter((s) => s.topic === topics[Topics.deviceOutbound]);
    await eventually(
      () =>
        expect(
          outbound()
            .filter((s) => s.value.type === 'CANCEL_DOWNLOAD')
            .map((s) => [s.key, s.value.actionId]),
        ).toEqual([
          [a1.controller, a1.id],
          [a2.controller, a2.id],
        ]),
      { description: 'a cancel instruction per active action' },
    );

    const answer = (action: { id: number; controller: string }) => ({
      key: action.controller,
      value: { type: 'UPDATE_ACTION_STATUS', controllerId: action.controller, actionId: action.id, status: 'CANCELED' },
      headers: { ce_id: randomUUID() },
    });
    // Each device answers, and its connector sends the answer a second time (a new message id).
    await publisher.sendBatch([{ topic: inbound, messages: [answer(a1), answer(a2), answer(a1), answer(a2)] }]);
    consumer = new IdempotentConsumer<DeviceInboundMessage>({
      groupId: uniqueName('device_status'),
      topics: [inbound],
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

    const settlements = () =>
      seen.filter((s) => s.topic === topics[Topics.actionEvents] && s.value.type === 'RolloutActionsSettled.v1');
    await eventually(
      () =>
        expect(settlements().map((s) => [s.key, s.value.data])).toEqual([
          [String(rollout.rolloutId), expect.objectContaining({ rolloutId: rollout.rolloutId, reason: 'STOPPED' })],
        ]),
      { description: 'the rollout settled' },
    );
    expect((await fx.actions(rollout.rolloutId)).map((a) => a.status)).toEqual(['canceled', 'canceled', 'canceled']);
    expect(await fx.events(settledStream(rollout.rolloutId, 'STOPPED'))).toHaveLength(1);
    // Status changes of the rollout come before its settlement on the rollout's key.
    const onKey = seen.filter((s) => s.topic === topics[Topics.actionEvents] && s.key === String(rollout.rolloutId));
    expect(onKey[onKey.length - 1].value.type).toBe('RolloutActionsSettled.v1');
  });
});
