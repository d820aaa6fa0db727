import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import { createKafkaClient, KafkaPublisher, silentLogger } from '@fleetwave/messaging';
import { testKafkaBrokers, uniqueName } from '@fleetwave/testing';

/**
 * A private pair of device topics on the shared broker for a simulator under test, with the
 * tools to feed and read them; the topics are removed afterwards.
 */
export class FleetKafkaFixture {
  readonly brokers = testKafkaBrokers();
  readonly kafka: Kafka = createKafkaClient({
    brokers: this.brokers,
    clientId: 'simulator-int-test',
    logger: silentLogger,
  });
  readonly admin: Admin = this.kafka.admin();
  readonly publisher = new KafkaPublisher({ kafka: this.kafka });
  readonly inbound = uniqueName('sim_inbound');
  readonly outbound = uniqueName('sim_outbound');

  constructor(readonly partitions = 12) {}

  async setUp(): Promise<void> {
    await this.admin.connect();
    await this.admin.createTopics({
      topics: [this.inbound, this.outbound].map((topic) => ({
        topic,
        numPartitions: this.partitions,
        replicationFactor: 1,
      })),
      waitForLeaders: true,
    });
    await this.publisher.connect();
  }

  async tearDown(): Promise<void> {
    await this.publisher.disconnect().catch(() => undefined);
    await this.admin.deleteTopics({ topics: [this.inbound, this.outbound] }).catch(() => undefined);
    await this.admin.disconnect();
  }

  /** Records in a topic so far (sum of the partitions' end offsets): cheap enough to poll. */
  async count(topic: string): Promise<number> {
    const offsets = await this.admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high), 0);
  }

  /** Makes a group start at the beginning of a topic, whatever was published before it joins. */
  async rewind(groupId: string, topic: string): Promise<void> {
    const partitions = Array.from({ length: this.partitions }, (_, partition) => ({ partition, offset: '0' }));
    await this.admin.setOffsets({ groupId, topic, partitions });
  }

  /** Hands every record of a topic, from the beginning, to `visit` until `count` were read. */
  async readAll(
    topic: string,
    count: number,
    visit: (message: KafkaMessage, partition: number) => void,
    timeoutMs = 120_000,
  ) {
    const consumer = this.kafka.consumer({ groupId: uniqueName('sim_reader'), maxWaitTimeInMs: 500 });
    let read = 0;
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`read ${read} of ${count} records of ${topic}`)), timeoutMs);
        void consumer.run({
          partitionsConsumedConcurrently: this.partitions,
          eachBatch: async ({ batch }) => {
            for (const message of batch.messages) visit(message, batch.partition);
            read += batch.messages.length;
            if (read >= count) {
              clearTimeout(timer);
              resolve();
            }
          },
        });
      });
    } finally {
      await consumer.disconnect();
    }
    return read;
  }
}
