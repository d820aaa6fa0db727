import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import { createKafkaClient } from '../src/kafka-client.factory';
import { consoleLogger, silentLogger, type MessagingLogger } from '../src/messaging-logger';

/** Logs of int tests stay quiet unless MESSAGING_TEST_LOGS=debug|info|warn|error asks for them. */
export function testLogger(): MessagingLogger {
  const level = process.env.MESSAGING_TEST_LOGS;
  return level === 'debug' || level === 'info' || level === 'warn' || level === 'error'
    ? consoleLogger(level)
    : silentLogger;
}

/** A consumed record with its coordinates, as returned by {@link KafkaFixture.readAll}. */
export interface ReadRecord {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

/**
 * Owns the topics an int test creates on the real broker and removes them afterwards; reads
 * topics back with throwaway consumer groups.
 */
export class KafkaFixture {
  readonly kafka: Kafka;
  readonly admin: Admin;
  private readonly created: string[] = [];

  constructor(readonly brokers: string[]) {
    this.kafka = createKafkaClient({ brokers, clientId: 'messaging-int-test', logger: testLogger() });
    this.admin = this.kafka.admin();
  }

  async connect(): Promise<void> {
    await this.admin.connect();
  }

  /** Creates fresh topics; the broker has auto-creation off, as in production. */
  async createTopics(topics: string[], partitions: number): Promise<void> {
    await this.admin.createTopics({
      topics: topics.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
      waitForLeaders: true,
    });
    this.created.push(...topics);
  }

  /** Committed offset per partition of a group (-1 when none). */
  async committedOffsets(groupId: string, topic: string): Promise<Map<number, number>> {
    const [result] = await this.admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map(result.partitions.map((p) => [p.partition, Number(p.offset)]));
  }

  /** End offset (high watermark) per partition. */
  async endOffsets(topic: string): Promise<Map<number, number>> {
    const offsets = await this.admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((p) => [p.partition, Number(p.high)]));
  }

  /** Reads a topic from the beginning until `count` records arrived (or fails after `timeoutMs`). */
  async readAll(topic: string, count: number, timeoutMs = 20_000): Promise<ReadRecord[]> {
    const consumer = this.kafka.consumer({ groupId: `reader-${topic}-${Date.now()}`, maxWaitTimeInMs: 500 });
    const records: ReadRecord[] = [];
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`read ${records.length} of ${count} records from ${topic} in ${timeoutMs} ms`)),
          timeoutMs,
        );
        void consumer.run({
          eachMessage: async ({ topic: from, partition, message }) => {
            records.push({ topic: from, partition, message });
            if (records.length >= count) {
              clearTimeout(timer);
              resolve();
            }
          },
        });
      });
      return records;
    } finally {
      await consumer.disconnect();
    }
  }

  /** Deletes the topics this fixture created and disconnects. */
  async cleanUp(): Promise<void> {
    try {
      if (this.created.length > 0) await this.admin.deleteTopics({ topics: this.created });
    } finally {
      await this.admin.disconnect();
    }
  }
}
