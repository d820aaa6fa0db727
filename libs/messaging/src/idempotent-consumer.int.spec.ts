import { Pool } from 'pg';
import { dlqTopicOf, type ParseResult } from '@fleetwave/contracts';
import { eventually, testDatabaseUrl, testKafkaBrokers, uniqueName } from '@fleetwave/testing';
import { sleep } from './backoff';
import type { RetryingMessage } from './consumer-health';
import { DeadLetterError, DeadLetterHeaders } from './dead-letter';
import { IdempotentConsumer } from './idempotent-consumer';
import type { IdempotentConsumerOptions } from './idempotent-consumer.options';
import type { MessageContext } from './inbound-message';
import { KafkaPublisher } from './kafka-publisher';
import type { HandlerContext, MessageOutcome } from './message-processor';
import { quoteIdentifier } from './processed-messages.store';
import { KafkaFixture, testLogger } from '../testing/kafka.fixture';

interface Reading {
  deviceId: string;
  n: number;
}

function parseReading(value: unknown): ParseResult<Reading> {
  const candidate = value as Partial<Reading> | null;
  if (typeof candidate?.deviceId !== 'string') return { ok: false, reason: 'deviceId must be a string' };
  if (typeof candidate.n !== 'number') return { ok: false, reason: 'n must be a number' };
  return { ok: true, value: { deviceId: candidate.deviceId, n: candidate.n } };
}

type Settled = { outcome: MessageOutcome; ctx: MessageContext };
type ConsumerSetup = Partial<IdempotentConsumerOptions<Reading>> &
  Pick<IdempotentConsumerOptions<Reading>, 'groupId' | 'topics'>;

describe('IdempotentConsumer (real Kafka and Postgres)', () => {
  const fixture = new KafkaFixture(testKafkaBrokers());
  const publisher = new KafkaPublisher({ kafka: fixture.kafka });
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 5 });
  const schema = uniqueName('messaging_test');
  const effects = `${quoteIdentifier(schema)}.effects`;
  const processed = `${quoteIdentifier(schema)}.processed_messages`;
  const started: IdempotentConsumer<Reading>[] = [];

  /** The effect under test: one row per applied message and no unique key, so a duplicate would show. */
  const writeEffect = async (reading: Reading, ctx: HandlerContext): Promise<void> => {
    await ctx.tx.query(`INSERT INTO ${effects} (topic, message_id, device_id, n) VALUES ($1, $2, $3, $4)`, [
      ctx.topic,
      ctx.messageId,
      reading.deviceId,
      reading.n,
    ]);
  };
  const effectsOf = async (topic: string): Promise<{ message_id: string; n: number }[]> =>
    (await pool.query(`SELECT message_id, n FROM ${effects} WHERE topic = $1 ORDER BY n, applied_at`, [topic])).rows;

  /** A fresh topic and its dead-letter twin per test, so no test sees another's messages. */
  const freshTopic = async (prefix: string): Promise<string> => {
    const topic = uniqueName(prefix);
    await fixture.createTopics([topic, dlqTopicOf(topic)], 1);
    return topic;
  };

  const startConsumer = async (
    setup: ConsumerSetup,
  ): Promise<{ consumer: IdempotentConsumer<Reading>; settled: Settled[] }> => {
    const settled: Settled[] = [];
    const consumer = new IdempotentConsumer<Reading>({
      kafka: fixture.kafka,
      pool,
      schema,
      parse: parseReading,
      handle: writeEffect,
      logger: testLogger(),
      maxWaitTimeMs: 300,
      retryBackoff: { initialDelayMs: 50, maxDelayMs: 200, factor: 2 },
      onOutcome: (outcome, ctx) => settled.push({ outcome, ctx }),
      ...setup,
    });
    started.push(consumer);
    await consumer.start();
    return { consumer, settled };
  };

  beforeAll(async () => {
    // The pool's owner decides what an error on an idle connection means; here it is expected noise.
    pool.on('error', () => undefined);
    await fixture.connect();
    await publisher.connect();
    await pool.query(`CREATE SCHEMA ${quoteIdentifier(schema)}`);
    await pool.query(
      `CREATE TABLE ${effects} (topic text NOT NULL, message_id text NOT NULL, device_id text NOT NULL,
                                n int NOT NULL, applied_at timestamptz NOT NULL DEFAULT clock_timestamp())`,
    );
  });

  afterAll(async () => {
    await Promise.allSettled(started.map((consumer) => consumer.stop()));
    await publisher.disconnect();
    await fixture.cleanUp();
    await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
    await pool.end();
  });

  it('applies a message delivered twice with the same ce_id once', async () => {
    const topic = await freshTopic('idem');
    const groupId = uniqueName('idem_group');
    // n = 0 stands for a message the service deliberately ignores; it is still recorded as processed.
    const handle = async (reading: Reading, ctx: HandlerContext): Promise<void | 'ignored'> =>
      reading.n === 0 ? 'ignored' : writeEffect(reading, ctx);
    // n < 0 stands for another service's message on a shared topic: not relevant, so no transaction and no record.
    const relevant = (reading: Reading): boolean => reading.n >= 0;
    const { consumer, settled } = await startConsumer({ groupId, topics: [topic], handle, relevant });
    // Healthy once it has joined its group (slow the first time on a new broker).
    await eventually(() => expect(consumer.isHealthy()).toBe(true), { timeoutMs: 30_000 });

    await publisher.send(topic, [
      { key: 'd1', value: { deviceId: 'd1', n: 1 }, headers: { ce_id: 'reading-1' } },
      // A relay that retried after a timeout publishes again: new offset, same ce_id.
      { key: 'd1', value: { deviceId: 'd1', n: 1 }, headers: { ce_id: 'reading-1' } },
      { key: 'd1', value: { deviceId: 'd1', n: 2 } },
      { key: 'd1', value: { deviceId: 'd1', n: 0 }, headers: { ce_id: 'reading-0' } },
      { key: 'd1', value: { deviceId: 'd1', n: -1 }, headers: { ce_id: 'reading-elsewhere' } },
    ]);
    await eventually(() => expect(settled).toHaveLength(5), { timeoutMs: 20_000 });

    expect(settled.map((s) => s.outcome)).toEqual(['processed', 'duplicate', 'processed', 'ignored', 'ignored']);
    // Without a ce_id a message is identified by its coordinates.
    expect(await effectsOf(topic)).toEqual([
      { message_id: 'reading-1', n: 1 },
      { message_id: `${topic}:0:2`, n: 2 },
    ]);
    const recorded = await pool.query(`SELECT message_id FROM ${processed} WHERE consumer = $1 ORDER BY message_id`, [
      groupId,
    ]);
    expect(recorded.rows.map((r) => r.message_id)).toEqual([`${topic}:0:2`, 'reading-0', 'reading-1']);
    await eventually(async () => expect(await fixture.committedOffsets(groupId, topic)).toEqual(new Map([[0, 5]])));
  });

  it('applies replay-safe messages without a processed record, so each delivery reaches the handler', async () => {
    const topic = await freshTopic('replay_safe');
    const groupId = uniqueName('replay_safe_group');
    // n >= 100 stands for a message whose effect is decided by the state it finds (replay-safe).
    const replaySafe = (reading: Reading): boolean => reading.n >= 100;
    const { settled } = await startConsumer({ groupId, topics: [topic], replaySafe });

    await publisher.send(topic, [
      { key: 'd1', value: { deviceId: 'd1', n: 100 }, headers: { ce_id: 'safe-1' } },
      { key: 'd1', value: { deviceId: 'd1', n: 1 }, headers: { ce_id: 'counted-1' } },
      // Delivered again: the replay-safe one reaches the handler, the counted one is a duplicate.
      { key: 'd1', value: { deviceId: 'd1', n: 100 }, headers: { ce_id: 'safe-1' } },
      { key: 'd1', value: { deviceId: 'd1', n: 1 }, headers: { ce_id: 'counted-1' } },
    ]);
    await eventually(() => expect(settled).toHaveLength(4), { timeoutMs: 30_000 });

    expect(settled.map((s) => s.outcome)).toEqual(['processed', 'processed', 'processed', 'duplicate']);
    expect((await effectsOf(topic)).map((e) => [e.message_id, e.n])).toEqual([
      ['counted-1', 1],
      ['safe-1', 100],
      ['safe-1', 100],
    ]);
    const recorded = await pool.query(`SELECT message_id FROM ${processed} WHERE consumer = $1`, [groupId]);
    expect(recorded.rows.map((r) => r.message_id)).toEqual(['counted-1']);
    await eventually(async () => expect(await fixture.committedOffsets(groupId, topic)).toEqual(new Map([[0, 4]])));
  });

  it('dead-letters bad input with a reason and keeps consuming', async () => {
    const topic = await freshTopic('dlq');
    const handle = async (reading: Reading, ctx: HandlerContext): Promise<void> => {
      await writeEffect(reading, ctx);
      // Thrown after a write, to prove that the write is rolled back.
      if (reading.deviceId === 'unknown') throw new DeadLetterError('unknown device unknown');
    };
    const { settled } = await startConsumer({ groupId: uniqueName('dlq_group'), topics: [topic], handle });

    const original = { ce_id: 'bad-1', 'correlation-id': 'corr-1' };
    await publisher.send(topic, [
      { key: 'd1', value: 'not json {', headers: original },
      { key: 'd1', value: { deviceId: 42, n: 1 }, headers: { ce_id: 'bad-2' } },
      { key: 'd1', value: { deviceId: 'unknown', n: 1 }, headers: { ce_id: 'bad-3' } },
      { key: 'd1', value: { deviceId: 'd1', n: 4 }, headers: { ce_id: 'good-4' } },
    ]);
    await eventually(() => expect(settled).toHaveLength(4), { timeoutMs: 20_000 });

    expect(settled.map((s) => s.outcome)).toEqual(['dead-lettered', 'dead-lettered', 'dead-lettered', 'processed']);
    expect(await effectsOf(topic)).toEqual([{ message_id: 'good-4', n: 4 }]);

    const dead = await fixture.readAll(dlqTopicOf(topic), 3);
    const header = (index: number, name: string): string | undefined => dead[index].message.headers?.[name]?.toString();
    expect(dead.map((d) => d.message.value?.toString())).toEqual([
      'not json {',
      JSON.stringify({ deviceId: 42, n: 1 }),
      JSON.stringify({ deviceId: 'unknown', n: 1 }),
    ]);
    expect(dead.map((d) => d.message.key?.toString())).toEqual(['d1', 'd1', 'd1']);
    expect(header(0, DeadLetterHeaders.reason)).toMatch(/^value is not JSON/);
    expect(header(1, DeadLetterHeaders.reason)).toBe('invalid message: deviceId must be a string');
    expect(header(2, DeadLetterHeaders.reason)).toBe('unknown device unknown');
    expect(header(0, 'ce_id')).toBe('bad-1');
    expect(header(0, 'correlation-id')).toBe('corr-1');
    expect(dead.map((_, i) => header(i, DeadLetterHeaders.sourceTopic))).toEqual([topic, topic, topic]);
    expect(dead.map((_, i) => header(i, DeadLetterHeaders.sourcePartition))).toEqual(['0', '0', '0']);
    expect(dead.map((_, i) => header(i, DeadLetterHeaders.sourceOffset))).toEqual(['0', '1', '2']);
  });

  it('settles a value that is not JSON without dead-lettering it when another consumer owns that', async () => {
    const topic = await freshTopic('skip');
    const { settled } = await startConsumer({
      groupId: uniqueName('skip_group'),
      topics: [topic],
      undecodable: 'skip',
    });
    await publisher.send(topic, [
      { key: 'd1', value: 'not json {', headers: { ce_id: 'garbage-1' } },
      { key: 'd1', value: { deviceId: 42, n: 1 }, headers: { ce_id: 'bad-2' } },
      { key: 'd1', value: { deviceId: 'd1', n: 3 }, headers: { ce_id: 'good-3' } },
    ]);
    await eventually(() => expect(settled).toHaveLength(3), { timeoutMs: 20_000 });
    // Only what parses but is wrong is this consumer's to dead-letter.
    expect(settled.map((s) => s.outcome)).toEqual(['ignored', 'dead-lettered', 'processed']);
    const dead = await fixture.readAll(dlqTopicOf(topic), 1);
    expect(dead.map((d) => d.message.headers?.['ce_id']?.toString())).toEqual(['bad-2']);
  });

  it('retries a failing message until it succeeds, applying it once and not dead-lettering it', async () => {
    const topic = await freshTopic('transient');
    let attempts = 0;
    let retryingSeen: RetryingMessage | undefined;
    const self: { consumer?: IdempotentConsumer<Reading> } = {};
    const handle = async (reading: Reading, ctx: HandlerContext): Promise<void> => {
      attempts++;
      await writeEffect(reading, ctx);
      // A real Postgres failure: the server drops this connection mid-transaction.
      if (attempts === 1) await ctx.tx.query('SELECT pg_terminate_backend(pg_backend_pid())');
      if (attempts === 2) throw new Error('downstream briefly unavailable');
      retryingSeen = self.consumer?.healthDetails().retrying;
    };
    const { consumer, settled } = await startConsumer({
      groupId: uniqueName('transient_group'),
      topics: [topic],
      handle,
    });
    self.consumer = consumer;

    await publisher.send(topic, [{ key: 'd1', value: { deviceId: 'd1', n: 1 }, headers: { ce_id: 'flaky-1' } }]);
    await eventually(() => expect(settled).toHaveLength(1), { timeoutMs: 20_000 });

    expect(attempts).toBe(3);
    expect(settled[0].outcome).toBe('processed');
    expect(retryingSeen).toMatchObject({
      messageId: 'flaky-1',
      attempts: 2,
      lastError: 'Error: downstream briefly unavailable',
    });
    expect(consumer.healthDetails().retrying).toBeUndefined();
    expect(await effectsOf(topic)).toEqual([{ message_id: 'flaky-1', n: 1 }]);
    expect(await fixture.endOffsets(dlqTopicOf(topic))).toEqual(new Map([[0, 0]]));
  });

  it('stops after the in-flight message and a restarted member resumes with nothing lost or repeated', async () => {
    const topic = await freshTopic('shutdown');
    const groupId = uniqueName('shutdown_group');
    const total = 20;
    let stopping: Promise<void> | undefined;
    const firstRun: { consumer?: IdempotentConsumer<Reading> } = {};
    const slowHandle = async (reading: Reading, ctx: HandlerContext): Promise<void> => {
      // SIGTERM arrives while message 5 is being handled; it must still be applied and committed.
      if (reading.n === 5) stopping = firstRun.consumer?.stop();
      await sleep(30);
      await writeEffect(reading, ctx);
    };
    const { consumer: first } = await startConsumer({ groupId, topics: [topic], handle: slowHandle });
    firstRun.consumer = first;

    await publisher.send(
      topic,
      Array.from({ length: total }, (_, i) => ({
        key: 'd1',
        value: { deviceId: 'd1', n: i + 1 },
        headers: { ce_id: `m-${i + 1}` },
      })),
    );
    await eventually(() => expect(stopping).toBeDefined(), { timeoutMs: 20_000 });
    await stopping;

    expect(first.isHealthy()).toBe(false);
    expect(first.healthDetails().state).toBe('stopped');
    const appliedBeforeStop = await effectsOf(topic);
    expect(appliedBeforeStop.map((e) => e.n)).toEqual([1, 2, 3, 4, 5]);
    expect(await fixture.committedOffsets(groupId, topic)).toEqual(new Map([[0, 5]]));

    const run2 = await startConsumer({ groupId, topics: [topic] });
    await eventually(() => expect(run2.settled).toHaveLength(total - 5), { timeoutMs: 20_000 });

    // Resumed exactly at the committed offset: no message was seen again, none skipped.
    expect(run2.settled.map((s) => s.outcome)).toEqual(Array(total - 5).fill('processed'));
    expect(run2.settled[0].ctx.offset).toBe('5');
    expect((await effectsOf(topic)).map((e) => e.message_id)).toEqual(
      Array.from({ length: total }, (_, i) => `m-${i + 1}`),
    );
  });
});
