import { randomUUID } from 'node:crypto';
import {
  createKafkaClient,
  ensureTopics,
  IdempotentConsumer,
  KafkaPublisher,
  silentLogger,
} from '@fleetwave/messaging';
import { parseEnvelope, type Envelope } from '@fleetwave/service-kit';
import { eventually, testKafkaBrokers, uniqueName } from '@fleetwave/testing';
import { eventsFrom, NOW, OrchestratorFixture, rolloutEvents, statusChange } from '../testing/orchestrator.fixture';
import { ActionEventsConsumer } from './action-events.consumer';
import { RolloutEventsConsumer } from './rollout-events.consumer';

describe('ActionEventsConsumer behind the idempotent consumer (real Kafka and Postgres)', () => {
  const fx = new OrchestratorFixture();
  const kafka = createKafkaClient({ brokers: testKafkaBrokers(), clientId: 'orchestrator-test', logger: silentLogger });
  const publisher = new KafkaPublisher({ kafka, logger: silentLogger });
  const topic = uniqueName('action_events');
  let consumer: IdempotentConsumer<Envelope> | undefined;

  beforeAll(async () => {
    await fx.setUp();
    await ensureTopics(testKafkaBrokers(), [topic], 1);
    await publisher.connect();
  });
  afterAll(async () => {
    await consumer?.stop();
    await publisher.disconnect();
    await fx.dispose();
  });

  it('changes no count and no group when a batch is delivered again', async () => {
    const r = await (async () => {
      const events = rolloutEvents([4, 4]);
      await fx.run(new RolloutEventsConsumer(fx.workflows).handleBatch, [events.created, events.ready, events.started]);
      return events;
    })();
    const [g1, g2] = r.groups;
    const message = (event: Envelope, id = randomUUID()) => ({
      key: String(r.rolloutId),
      value: event,
      headers: { ce_id: id, ce_type: event.type },
    });
    const batch = [
      message(statusChange(r.rolloutId, g1, 'running', 'finished')),
      message(statusChange(r.rolloutId, g1, 'download', 'finished')),
      message(statusChange(r.rolloutId, g1, 'running', 'error')),
    ];
    await publisher.sendBatch([{ topic, messages: batch }]);
    consumer = new IdempotentConsumer<Envelope>({
      groupId: uniqueName('orchestrator_actions'),
      topics: [topic],
      kafka,
      pool: fx.pool,
      schema: fx.schema,
      parse: parseEnvelope,
      handleBatch: new ActionEventsConsumer(fx.workflows, () => NOW).handleBatch,
      logger: silentLogger,
      maxWaitTimeMs: 200,
    });
    await consumer.start();
    await eventually(async () => expect((await fx.workflow(r.rolloutId)).length).toBe(4), {
      description: 'group 2 started at 50 %',
    });

    // The same batch again (same ids, as after a producer retry or a lost offset), then one new message.
    await publisher.sendBatch([
      { topic, messages: [...batch, message(statusChange(r.rolloutId, g2, 'running', 'finished'))] },
    ]);

    await eventually(
      async () =>
        expect(await fx.counters(r.rolloutId)).toEqual([
          { groupId: g1, finished: 2, error: 1, cancelled: 0 },
          { groupId: g2, finished: 1, error: 0, cancelled: 0 },
        ]),
      { description: 'the new message counted, the redelivered ones not' },
    );
    expect(eventsFrom(await fx.workflow(r.rolloutId), 3)).toEqual([
      {
        type: 'RolloutGroupStarted.v1',
        data: {
          rolloutId: r.rolloutId,
          groupId: g2,
          index: 2,
          startedAt: NOW,
          reason: {
            kind: 'SUCCESS_CONDITION',
            groupId: g1,
            figures: { total: 4, finished: 2, error: 1, cancelled: 0 },
            condition: { condition: 'THRESHOLD', expression: 50 },
          },
        },
      },
    ]);
  });
});
