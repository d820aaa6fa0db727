import { dlqTopicOf } from '@fleetwave/contracts';
import { eventually, uniqueName } from '@fleetwave/testing';
import { BatchConsumerFixture, stepMessages, type Step } from '../testing/batch-consumer.fixture';
import { insertSteps } from '../testing/step-batch.handler';
import type { BatchHandler } from './batch-handler';
import { DeadLetterHeaders } from './dead-letter';
import type { CommittedSlice } from './idempotent-consumer.options';
import type { HandlerContext } from './message-processor';

const steps = (key: string, count: number, amount = (seq: number): string => String(seq)): Step[] =>
  Array.from({ length: count }, (_, i) => ({ key, seq: i + 1, amount: amount(i + 1) }));

describe('IdempotentConsumer, batch-native (real Kafka and Postgres)', () => {
  const fx = new BatchConsumerFixture();

  beforeAll(() => fx.setUp());
  afterAll(() => fx.tearDown());

  it('applies a slice and its processed-message record in one transaction per slice', async () => {
    const topic = await fx.topic('one_tx');
    const committed: CommittedSlice[] = [];
    let calls = 0;
    const insert = insertSteps(fx.effects);
    const handleBatch: BatchHandler<Step> = async (items, ctx) => {
      calls++;
      await insert(items, ctx);
    };
    // Published before the consumer joins, so that fetches carry many messages.
    await fx.publisher.send(topic, stepMessages(steps('k', 45)));
    const groupId = uniqueName('one_tx_group');
    await fx.start({
      groupId,
      topics: [topic],
      handleBatch,
      batchMaxMessages: 20,
      onSliceCommitted: (s) => void committed.push(s),
    });
    await eventually(async () => expect(await fx.effectsOf(topic)).toHaveLength(45), { timeoutMs: 30_000 });

    const effects = await fx.effectsOf(topic);
    const transactions = [...new Set(effects.map((e) => e.tx))];
    // One handler call and one transaction per committed slice, none holding more than the bound.
    expect(transactions).toHaveLength(committed.length);
    expect(calls).toBe(committed.length);
    expect(committed.length).toBeGreaterThanOrEqual(3);
    expect(committed.every((slice) => slice.messages <= 20)).toBe(true);
    // The processed records were written by the very transactions that wrote the effects.
    const records = await fx.pool.query(
      `SELECT message_id, xmin::text AS tx FROM ${fx.processed} WHERE consumer = $1`,
      [groupId],
    );
    const txOfEffect = new Map(effects.map((e) => [e.message_id, e.tx]));
    expect(records.rows).toHaveLength(45);
    expect(records.rows.every((row) => txOfEffect.get(row.message_id) === row.tx)).toBe(true);
    await eventually(async () => expect(await fx.kafka.committedOffsets(groupId, topic)).toEqual(new Map([[0, 45]])));
  });

  it('runs per-message handlers under savepoints inside one transaction per slice', async () => {
    const topic = await fx.topic('per_message_tx');
    const handle = async (step: Step, ctx: HandlerContext): Promise<void> => {
      if (step.seq === 4) throw Object.assign(new Error('rollout 4 is finished'), { code: 'ROLLOUT.ILLEGAL_STATE' });
      await ctx.tx.query(`INSERT INTO ${fx.effects} (topic, message_id, key, seq, amount) VALUES ($1, $2, $3, $4, 0)`, [
        ctx.topic,
        ctx.messageId,
        step.key,
        step.seq,
      ]);
    };
    await fx.publisher.send(topic, stepMessages(steps('k', 10)));
    const committed: CommittedSlice[] = [];
    await fx.start({
      groupId: uniqueName('per_message_group'),
      topics: [topic],
      handle,
      onSliceCommitted: (s) => void committed.push(s),
    });
    await eventually(async () => expect(await fx.effectsOf(topic)).toHaveLength(9), { timeoutMs: 30_000 });

    const effects = await fx.effectsOf(topic);
    expect(effects.map((e) => e.seq)).toEqual([1, 2, 3, 5, 6, 7, 8, 9, 10]);
    expect(new Set(effects.map((e) => e.tx)).size).toBe(committed.length);
    const [dead] = await fx.kafka.readAll(dlqTopicOf(topic), 1);
    expect(dead.message.headers?.[DeadLetterHeaders.reason]?.toString()).toBe(
      'Error: rollout 4 is finished (code ROLLOUT.ILLEGAL_STATE)',
    );
  });

  it('keeps per-key order across partitions worked concurrently', async () => {
    const topic = await fx.topic('order', 4);
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
    const all = keys.flatMap((key) => steps(key, 60));
    // Interleaved keys, so each fetched batch mixes them.
    all.sort((x, y) => x.seq - y.seq || x.key.localeCompare(y.key));
    await fx.publisher.send(topic, stepMessages(all));
    await fx.start({
      groupId: uniqueName('order_group'),
      topics: [topic],
      handleBatch: insertSteps(fx.effects),
      partitionsConsumedConcurrently: 4,
      batchMaxMessages: 25,
    });
    await eventually(async () => expect(await fx.effectsOf(topic)).toHaveLength(all.length), { timeoutMs: 30_000 });

    const effects = await fx.effectsOf(topic);
    for (const key of keys) {
      expect(effects.filter((e) => e.key === key).map((e) => e.seq)).toEqual(steps(key, 60).map((s) => s.seq));
    }
  });

  it('dead-letters a poison message in the middle of a batch with the full reason and applies the rest', async () => {
    const topic = await fx.topic('poison');
    const calls: number[] = [];
    const insert = insertSteps(fx.effects);
    const handleBatch: BatchHandler<Step> = async (items, ctx) => {
      calls.push(items.length);
      await insert(items, ctx);
    };
    // seq 7 carries 1.5 for a bigint: the set-based insert of the whole batch fails with 22P02.
    await fx.publisher.send(topic, stepMessages(steps('k', 12, (seq) => (seq === 7 ? '1.5' : String(seq)))));
    const groupId = uniqueName('poison_group');
    await fx.start({ groupId, topics: [topic], handleBatch });
    await eventually(async () => expect(await fx.effectsOf(topic)).toHaveLength(11), { timeoutMs: 30_000 });

    expect((await fx.effectsOf(topic)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12]);
    const [dead] = await fx.kafka.readAll(dlqTopicOf(topic), 1);
    expect(dead.message.headers?.ce_id?.toString()).toBe('k-7');
    expect(dead.message.headers?.[DeadLetterHeaders.reason]?.toString()).toBe(
      'error: invalid input syntax for type bigint: "1.5" (SQLSTATE 22P02)',
    );
    // The culprit was found by splitting, not by applying every message alone.
    expect(calls.length).toBeLessThan(12);
    // A dead-lettered message is not recorded, so a fixed replay of it is applied, not skipped.
    const recorded = await fx.pool.query(`SELECT message_id FROM ${fx.processed} WHERE consumer = $1`, [groupId]);
    expect(recorded.rows.map((row) => row.message_id).sort()).toEqual(
      steps('k', 12)
        .filter((s) => s.seq !== 7)
        .map((s) => `k-${s.seq}`)
        .sort(),
    );
  });

  it('dead-letters the items a batch handler rejects and settles those it ignores', async () => {
    const topic = await fx.topic('rejects');
    const groupId = uniqueName('rejects_group');
    const insert = insertSteps(fx.effects);
    const handleBatch: BatchHandler<Step> = async (items, ctx) => {
      await insert(
        items.filter((item) => item.message.seq !== 2 && item.message.seq !== 3),
        ctx,
      );
      return {
        rejected: [{ messageId: 'k-2', reason: 'step 2 names an unknown action' }],
        ignored: ['k-3'],
      };
    };
    const outcomes: string[] = [];
    await fx.publisher.send(topic, stepMessages(steps('k', 4)));
    await fx.start({ groupId, topics: [topic], handleBatch, onOutcome: (outcome) => void outcomes.push(outcome) });
    await eventually(() => expect(outcomes).toHaveLength(4), { timeoutMs: 30_000 });

    expect(outcomes).toEqual(['processed', 'dead-lettered', 'ignored', 'processed']);
    expect((await fx.effectsOf(topic)).map((e) => e.seq)).toEqual([1, 4]);
    const [dead] = await fx.kafka.readAll(dlqTopicOf(topic), 1);
    expect(dead.message.headers?.[DeadLetterHeaders.reason]?.toString()).toBe('step 2 names an unknown action');
    const recorded = await fx.pool.query(`SELECT message_id FROM ${fx.processed} WHERE consumer = $1 ORDER BY 1`, [
      groupId,
    ]);
    expect(recorded.rows.map((row) => row.message_id)).toEqual(['k-1', 'k-3', 'k-4']);
  });

  it('retries an unclassified failure a few times, then isolates and dead-letters its message', async () => {
    const topic = await fx.topic('unknown');
    let attemptsAtThree = 0;
    const insert = insertSteps(fx.effects);
    const handleBatch: BatchHandler<Step> = async (items, ctx) => {
      if (items.some((item) => item.message.seq === 3)) {
        attemptsAtThree++;
        throw new Error('the handler cannot cope with step 3');
      }
      await insert(items, ctx);
    };
    await fx.publisher.send(topic, stepMessages(steps('k', 5)));
    await fx.start({ groupId: uniqueName('unknown_group'), topics: [topic], handleBatch, unknownErrorAttempts: 3 });
    await eventually(async () => expect(await fx.effectsOf(topic)).toHaveLength(4), { timeoutMs: 30_000 });

    expect((await fx.effectsOf(topic)).map((e) => e.seq)).toEqual([1, 2, 4, 5]);
    expect(attemptsAtThree).toBeGreaterThan(3);
    const [dead] = await fx.kafka.readAll(dlqTopicOf(topic), 1);
    expect(dead.message.headers?.[DeadLetterHeaders.reason]?.toString()).toBe(
      'Error: the handler cannot cope with step 3',
    );
  });

  it('retries a transient failure with the whole batch, skipping nothing and applying once', async () => {
    const topic = await fx.topic('transient');
    let attempts = 0;
    const insert = insertSteps(fx.effects);
    const handleBatch: BatchHandler<Step> = async (items, ctx) => {
      attempts++;
      await insert(items, ctx);
      // A real lost connection (57P01) after the effects were written, twice.
      if (attempts <= 2) await ctx.tx.query('SELECT pg_terminate_backend(pg_backend_pid())');
    };
    await fx.publisher.send(topic, stepMessages(steps('k', 8)));
    await fx.start({ groupId: uniqueName('transient_group'), topics: [topic], handleBatch, unknownErrorAttempts: 1 });
    await eventually(async () => expect(await fx.effectsOf(topic)).toHaveLength(8), { timeoutMs: 30_000 });

    expect(attempts).toBeGreaterThanOrEqual(3);
    expect((await fx.effectsOf(topic)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await fx.kafka.endOffsets(dlqTopicOf(topic))).toEqual(new Map([[0, 0]]));
  });

  it('turns unhealthy with the stuck message and its error while a batch keeps failing, and recovers', async () => {
    const topic = await fx.topic('stuck');
    let failing = true;
    const insert = insertSteps(fx.effects);
    const handleBatch: BatchHandler<Step> = async (items, ctx) => {
      if (failing) await ctx.tx.query('SELECT pg_terminate_backend(pg_backend_pid())');
      await insert(items, ctx);
    };
    const consumer = await fx.start({
      groupId: uniqueName('stuck_group'),
      topics: [topic],
      handleBatch,
      stuckAfterMs: 1_500,
    });
    await eventually(() => expect(consumer.isHealthy()).toBe(true), { timeoutMs: 30_000 });
    await fx.publisher.send(topic, stepMessages(steps('k', 3)));

    await eventually(() => expect(consumer.isHealthy()).toBe(false), { timeoutMs: 20_000 });
    expect(consumer.healthDetails().stuck).toMatchObject({
      topic,
      partition: 0,
      offset: '0',
      messageId: 'k-1',
      lastError: expect.stringContaining('terminating connection due to administrator command (SQLSTATE 57P01)'),
    });
    expect(await fx.effectsOf(topic)).toEqual([]);

    failing = false;
    await eventually(() => expect(consumer.isHealthy()).toBe(true), { timeoutMs: 20_000 });
    expect(consumer.healthDetails().stuck).toBeUndefined();
    expect((await fx.effectsOf(topic)).map((e) => e.seq)).toEqual([1, 2, 3]);
  });
});
