import { Pool } from 'pg';
import { dlqTopicOf, type ParseResult } from '@fleetwave/contracts';
import { testDatabaseUrl, testKafkaBrokers, uniqueName } from '@fleetwave/testing';
import { IdempotentConsumer } from '../src/idempotent-consumer';
import type { IdempotentConsumerOptions } from '../src/idempotent-consumer.options';
import { KafkaPublisher, type OutgoingMessage } from '../src/kafka-publisher';
import { quoteIdentifier } from '../src/processed-messages.store';
import { KafkaFixture, testLogger } from './kafka.fixture';

/** The message the batch int tests consume: a key's sequence number and a raw value to store. */
export interface Step {
  key: string;
  seq: number;
  /** Text cast to bigint by the handler's set-based insert: '1.5' is a data error (22P02). */
  amount: string;
}

export function parseStep(value: unknown): ParseResult<Step> {
  const step = value as Partial<Step> | null;
  return typeof step?.key === 'string' && typeof step.seq === 'number' && typeof step.amount === 'string'
    ? { ok: true, value: { key: step.key, seq: step.seq, amount: step.amount } }
    : { ok: false, reason: 'not a step' };
}

/** Messages of `steps`, keyed by their key, each with a ce_id made of key and sequence. */
export const stepMessages = (steps: Step[]): OutgoingMessage[] =>
  steps.map((step) => ({ key: step.key, value: step, headers: { ce_id: `${step.key}-${step.seq}` } }));

type Setup = Partial<IdempotentConsumerOptions<Step>> & Pick<IdempotentConsumerOptions<Step>, 'groupId' | 'topics'>;

/**
 * A fresh schema with an `effects` table (no unique key, so a double effect would show; the
 * applying transaction's id in `tx`) and fresh topics, on the real Postgres and Kafka.
 */
export class BatchConsumerFixture {
  readonly kafka = new KafkaFixture(testKafkaBrokers());
  readonly publisher = new KafkaPublisher({ kafka: this.kafka.kafka });
  readonly pool = new Pool({ connectionString: testDatabaseUrl(), max: 8 });
  readonly schema = uniqueName('batch_test');
  readonly effects = `${quoteIdentifier(this.schema)}.effects`;
  readonly processed = `${quoteIdentifier(this.schema)}.processed_messages`;
  private readonly started: IdempotentConsumer<Step>[] = [];

  async setUp(): Promise<void> {
    this.pool.on('error', () => undefined);
    await this.kafka.connect();
    await this.publisher.connect();
    await this.pool.query(`CREATE SCHEMA ${quoteIdentifier(this.schema)}`);
    await this.pool.query(
      `CREATE TABLE ${this.effects} (applied bigserial, topic text NOT NULL, message_id text NOT NULL,
         key text NOT NULL, seq int NOT NULL, amount bigint NOT NULL,
         tx text NOT NULL DEFAULT (txid_current() % 4294967296)::text)`,
    );
  }

  async tearDown(): Promise<void> {
    await Promise.allSettled(this.started.map((consumer) => consumer.stop()));
    await this.publisher.disconnect();
    await this.kafka.cleanUp();
    await this.pool.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(this.schema)} CASCADE`);
    await this.pool.end();
  }

  /** A fresh topic (and its dead-letter twin). */
  async topic(prefix: string, partitions = 1): Promise<string> {
    const topic = uniqueName(prefix);
    await this.kafka.createTopics([topic, dlqTopicOf(topic)], partitions);
    return topic;
  }

  /** Starts a consumer with short timings for tests; stopped in {@link tearDown}. */
  async start(setup: Setup): Promise<IdempotentConsumer<Step>> {
    const consumer = new IdempotentConsumer<Step>({
      kafka: this.kafka.kafka,
      pool: this.pool,
      schema: this.schema,
      parse: parseStep,
      logger: testLogger(),
      maxWaitTimeMs: 300,
      retryBackoff: { initialDelayMs: 50, maxDelayMs: 200, factor: 2 },
      ...setup,
    });
    this.started.push(consumer);
    await consumer.start();
    return consumer;
  }

  async effectsOf(topic: string): Promise<{ message_id: string; key: string; seq: number; tx: string }[]> {
    const result = await this.pool.query(
      `SELECT message_id, key, seq, tx FROM ${this.effects} WHERE topic = $1 ORDER BY applied`,
      [topic],
    );
    return result.rows;
  }
}
