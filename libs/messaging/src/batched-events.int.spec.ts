import { CLOUD_EVENTS_BATCH_CONTENT_TYPE, dlqTopicOf, toCloudEventBatchEntry } from '@fleetwave/contracts';
import { eventually, uniqueName } from '@fleetwave/testing';
import { BatchConsumerFixture, type Step } from '../testing/batch-consumer.fixture';
import { insertSteps } from '../testing/step-batch.handler';
import type { BatchHandler } from './batch-handler';
import { DeadLetterHeaders } from './dead-letter';
import type { OutgoingMessage } from './kafka-publisher';

/** One record holding the steps as events of a batch (CloudEvents batched content mode). */
const batchOf = (steps: (Step | { broken: true })[]): OutgoingMessage => ({
  key: 'k',
  headers: { 'content-type': CLOUD_EVENTS_BATCH_CONTENT_TYPE },
  value: JSON.stringify(
    steps.map((step) =>
      'broken' in step
        ? { type: 'Step', data: step }
        : toCloudEventBatchEntry(
            { id: `k-${step.seq}`, type: 'Step', source: 'test', time: '2026-01-01T00:00:00.000Z', subject: 'k' },
            step,
          ),
    ),
  ),
});

const step = (seq: number, amount = String(seq)): Step => ({ key: 'k', seq, amount });

describe('IdempotentConsumer with batch records (real Kafka and Postgres)', () => {
  const fx = new BatchConsumerFixture();

  beforeAll(() => fx.setUp());
  afterAll(() => fx.tearDown());

  it('hands over each event of a batch record under its own id, once, and dead-letters a bad one alone', async () => {
    const topic = await fx.topic('batched');
    const seen: string[][] = [];
    const insert = insertSteps(fx.effects);
    const handleBatch: BatchHandler<Step> = async (items, ctx) => {
      seen.push(items.map((i) => i.context.messageId));
      await insert(items, ctx);
    };
    // Record 1: steps 1-3 and an entry without an id; record 2: step 4 fails the insert (22P02).
    await fx.publisher.send(topic, [
      batchOf([step(1), step(2), { broken: true }, step(3)]),
      batchOf([step(4, '1.5'), step(5)]),
    ]);
    const groupId = uniqueName('batched_group');
    await fx.start({ groupId, topics: [topic], handleBatch });
    await eventually(async () => expect(await fx.effectsOf(topic)).toHaveLength(4), { timeoutMs: 30_000 });

    expect((await fx.effectsOf(topic)).map((e) => [e.message_id, e.seq])).toEqual([
      ['k-1', 1],
      ['k-2', 2],
      ['k-3', 3],
      ['k-5', 5],
    ]);
    const dead = await fx.kafka.readAll(dlqTopicOf(topic), 2);
    const reasons = dead.map((d) => d.message.headers?.[DeadLetterHeaders.reason]?.toString());
    expect(reasons).toEqual([
      'batch entry has no id or type',
      'error: invalid input syntax for type bigint: "1.5" (SQLSTATE 22P02)',
    ]);
    // Each goes to the dead-letter topic as the message it would have been alone.
    expect(JSON.parse(String(dead[0].message.value))).toEqual({ type: 'Step', data: { broken: true } });
    expect(dead[0].message.headers?.['content-type']?.toString()).toBe('application/json');
    expect(JSON.parse(String(dead[1].message.value))).toEqual(step(4, '1.5'));
    expect(dead[1].message.headers?.ce_id?.toString()).toBe('k-4');
    expect(dead[1].message.headers?.[DeadLetterHeaders.sourceOffset]?.toString()).toBe('1');

    // The same events again, packed differently (a relay's re-send after a crash): nothing applies twice.
    await fx.publisher.send(topic, [batchOf([step(3), step(5), step(6)])]);
    await eventually(async () => expect(await fx.effectsOf(topic)).toHaveLength(5), { timeoutMs: 30_000 });
    expect((await fx.effectsOf(topic)).map((e) => e.seq)).toEqual([1, 2, 3, 5, 6]);
    // The repeated ones never reached the handler: only the new event did.
    expect(seen.at(-1)).toEqual(['k-6']);
    await eventually(async () => expect(await fx.kafka.committedOffsets(groupId, topic)).toEqual(new Map([[0, 3]])));
  });
});
