import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { dlqTopicOf, Topics } from '@fleetwave/contracts';
import {
  eventually,
  FleetwaveClient,
  parseJson,
  readTopicRange,
  RolloutView,
  testKafkaBrokers,
  topicEndOffsets,
  uniqueName,
  type PartitionOffsets,
} from '@fleetwave/testing';

/** The device topics as a connector sees them: bad input is dead-lettered, final statuses stay final. */
const client = new FleetwaveClient();
const kafka = new Kafka({ clientId: uniqueName('connector'), brokers: testKafkaBrokers(), logLevel: logLevel.NOTHING });
let producer: Producer;
let dlqConsumer: Consumer;
const deadLetters: { reason: string; value: string }[] = [];

beforeAll(async () => {
  producer = kafka.producer();
  await producer.connect();
  dlqConsumer = kafka.consumer({ groupId: uniqueName('dlq-reader') });
  await dlqConsumer.connect();
  await dlqConsumer.subscribe({ topic: dlqTopicOf(Topics.deviceInbound), fromBeginning: true });
  await dlqConsumer.run({
    eachMessage: async ({ message }) => {
      deadLetters.push({
        reason: message.headers?.['dlq-reason']?.toString() ?? '',
        value: message.value?.toString() ?? '',
      });
    },
  });
});

afterAll(async () => {
  await dlqConsumer.disconnect();
  await producer.disconnect();
});

const report = (controllerId: string, body: object | string) =>
  producer.send({
    topic: Topics.deviceInbound,
    messages: [{ key: controllerId, value: typeof body === 'string' ? body : JSON.stringify(body) }],
  });

describe('device protocol on Kafka', () => {
  it('dead-letters unparsable input and unknown actions with a reason, once, and keeps consuming', async () => {
    const marker = uniqueName('bad');
    const admin = kafka.admin();
    await admin.connect();
    const dlqStart = await topicEndOffsets(admin, dlqTopicOf(Topics.deviceInbound)).finally(() => admin.disconnect());
    await report(marker, `{"type":"UPDATE_ACTION_STATUS", "controllerId": "${marker}", oops`);
    await report(marker, {
      type: 'UPDATE_ACTION_STATUS',
      controllerId: marker,
      actionId: 987_654_321,
      status: 'FINISHED',
    });
    await report(marker, { type: 'UPDATE_ACTION_STATUS', controllerId: marker, status: 'FLYING', actionId: 1 });
    await eventually(
      () => {
        const mine = deadLetters.filter((d) => d.value.includes(marker));
        expect(mine.map((d) => d.reason)).toEqual(
          expect.arrayContaining([
            expect.stringMatching(/JSON/i),
            expect.stringMatching(/unknown action 987654321/),
            expect.stringMatching(/status/),
          ]),
        );
      },
      { timeoutMs: 60_000, description: 'dead letters' },
    );
    // Each bad message is dead-lettered once, not once per service reading the topic: once the
    // registration consumer is past them (same key, same partition), the DLQ holds three.
    await report(marker, { type: 'THING_CREATED', controllerId: marker });
    await eventually(async () => expect(await client.countTargets(`controllerId==${marker}`)).toBe(1), {
      timeoutMs: 60_000,
      description: 'registration consumer past the bad messages',
    });
    const dlq = await readTopicRange(kafka, dlqTopicOf(Topics.deviceInbound), { from: dlqStart, timeoutMs: 30_000 });
    expect(dlq.filter((record) => record.value.includes(marker))).toHaveLength(3);

    // The consumer did not stop: a rollout still runs to the end.
    const prefix = uniqueName('after-dlq');
    await client.registerDevices(prefix, 4);
    await eventually(async () => expect(await client.countTargets(`controllerId==${prefix}-*`)).toBe(4), {
      timeoutMs: 60_000,
    });
    const rollout = await startRollout(prefix, 4);
    await finished(rollout.id);
  });

  it('keeps a finished action finished: later and repeated reports change no count', async () => {
    const prefix = uniqueName('final');
    await client.registerDevices(prefix, 3);
    await eventually(async () => expect(await client.countTargets(`controllerId==${prefix}-*`)).toBe(3), {
      timeoutMs: 60_000,
    });
    const admin = kafka.admin();
    await admin.connect();
    const from = await topicEndOffsets(admin, Topics.deviceInbound).finally(() => admin.disconnect());
    const rollout = await startRollout(prefix, 3);
    const done = await finished(rollout.id);
    expect(done.totalTargetsPerStatus.finished).toBe(3);

    // Action ids are not exposed through REST yet; the simulator's own reports carry them.
    const actionIds = await actionIdsOf(prefix, from);
    let sentinel = 999_000_000;
    const sentinels: number[] = [];
    for (const [controllerId, actionId] of actionIds) {
      await report(controllerId, { type: 'UPDATE_ACTION_STATUS', controllerId, actionId, status: 'ERROR' });
      await report(controllerId, { type: 'UPDATE_ACTION_STATUS', controllerId, actionId, status: 'FINISHED' });
      // Same key, same partition, so dead-lettered only after the two reports above were handled.
      sentinels.push(++sentinel);
      await report(controllerId, { type: 'UPDATE_ACTION_STATUS', controllerId, actionId: sentinel, status: 'RUNNING' });
    }
    await eventually(
      () => {
        for (const id of sentinels)
          expect(deadLetters.some((d) => d.reason.includes(`unknown action ${id}`))).toBe(true);
      },
      { timeoutMs: 60_000, description: 'late reports consumed' },
    );
    for (let i = 0; i < 10; i++) {
      const view = await client.rollout(rollout.id);
      expect(view.totalTargetsPerStatus).toEqual({
        running: 0,
        notstarted: 0,
        scheduled: 0,
        cancelled: 0,
        finished: 3,
        error: 0,
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  });
});

async function startRollout(prefix: string, devices: number): Promise<RolloutView> {
  const distributionSetId = await client.createDistributionSet(prefix);
  const rollout = await client.expect<RolloutView>(201, 'POST', '/rollouts', {
    name: prefix,
    distributionSetId,
    targetFilterQuery: `controllerId==${prefix}-*`,
    amountGroups: Math.min(2, devices),
  });
  await eventually(async () => expect((await client.rollout(rollout.id)).status).toBe('ready'), { timeoutMs: 60_000 });
  await client.expect(204, 'POST', `/rollouts/${rollout.id}/start`);
  return rollout;
}

function finished(id: number): Promise<RolloutView> {
  return eventually(
    async () => {
      const view = await client.rollout(id);
      expect(view.status).toBe('finished');
      return view;
    },
    { timeoutMs: 120_000, intervalMs: 250 },
  );
}

/** The simulator's FINISHED reports for these devices on the inbound topic since `from`. */
async function actionIdsOf(prefix: string, from: PartitionOffsets): Promise<Map<string, number>> {
  return eventually(
    async () => {
      const ids = new Map<string, number>();
      for (const record of await readTopicRange(kafka, Topics.deviceInbound, { from, timeoutMs: 30_000 })) {
        // The topic holds other tests' garbage on purpose.
        const body = parseJson<{ controllerId?: string; actionId?: number; status?: string }>(record.value);
        if (body?.controllerId?.startsWith(prefix) && body.status === 'FINISHED' && body.actionId)
          ids.set(body.controllerId, body.actionId);
      }
      expect(ids.size).toBe(3);
      return ids;
    },
    { timeoutMs: 60_000, description: 'the finished reports of the devices' },
  );
}
