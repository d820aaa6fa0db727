/**
 * Proof that kafkajs 2.2.4 — released for Kafka 2.x/3.x — works against the Apache Kafka 4.4
 * broker this project runs: the broker is 4.x, every protocol API kafkajs uses has a version
 * both sides speak, and the consumer-group path (produce, consume, commit, resume) works.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KafkaMessage } from 'kafkajs';
import { eventually, testKafkaBrokers, uniqueName } from '@fleetwave/testing';
import { KafkaPublisher } from './kafka-publisher';
import { probeApiVersions, releaseOfMetadataVersion } from '../testing/api-versions.probe';
import { KafkaFixture } from '../testing/kafka.fixture';

// kafkajs keeps its request versions internal; reading them beats copying a table that could drift.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kafkajsProtocol = require('kafkajs/src/protocol/requests') as {
  requests: Record<string, { versions: string[] }>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kafkajsApiKeys = require('kafkajs/src/protocol/requests/apiKeys') as Record<string, number>;

/** Every request kafkajs sends for producing, consuming in a group, committing and admin. */
const apisKafkajsUses = [
  'ApiVersions',
  'Metadata',
  'Produce',
  'InitProducerId',
  'Fetch',
  'ListOffsets',
  'GroupCoordinator',
  'JoinGroup',
  'SyncGroup',
  'Heartbeat',
  'LeaveGroup',
  'OffsetCommit',
  'OffsetFetch',
  'DescribeGroups',
  'CreateTopics',
  'DeleteTopics',
  'DescribeConfigs',
];

/** The broker jar the local scripts run, when they are the ones running it. */
function localBrokerJar(): string | undefined {
  try {
    const classpath = readFileSync(join(__dirname, '../../../.local/kafka/classpath.txt'), 'utf8');
    return /kafka_[\d.]+-([\w.-]+)\.jar/.exec(classpath)?.[1];
  } catch {
    return undefined;
  }
}

describe('kafkajs 2.2.4 against Apache Kafka 4.4 (KRaft)', () => {
  const brokers = testKafkaBrokers();
  const fixture = new KafkaFixture(brokers);
  const publisher = new KafkaPublisher({ kafka: fixture.kafka });

  beforeAll(async () => {
    await fixture.connect();
    await publisher.connect();
  });

  afterAll(async () => {
    await publisher.disconnect();
    await fixture.cleanUp();
  });

  it('talks to a 4.x broker with a protocol version both sides support for every API it uses', async () => {
    const cluster = await fixture.admin.describeCluster();
    expect(cluster.brokers.length).toBeGreaterThan(0);
    expect(cluster.controller).not.toBeNull();

    const broker = await probeApiVersions(brokers[0]);
    const metadataVersion = broker.finalizedFeatures.get('metadata.version');
    const release = metadataVersion === undefined ? undefined : releaseOfMetadataVersion(metadataVersion);
    const negotiated = apisKafkajsUses.map((api) => {
      const clientVersions = kafkajsProtocol.requests[api].versions.map(Number);
      const range = broker.apiKeys.get(kafkajsApiKeys[api]);
      // kafkajs picks the highest version it knows up to the broker's maximum (see kafkajs lookup).
      const version =
        range && Math.max(...clientVersions.filter((v) => v >= range.minVersion && v <= range.maxVersion));
      return {
        api,
        kafkajs: `${clientVersions[0]}-${clientVersions.at(-1)}`,
        broker: range && `${range.minVersion}-${range.maxVersion}`,
        version,
      };
    });
    console.log(
      `Kafka broker: release ${release} (metadata.version level ${metadataVersion}, jar ${localBrokerJar() ?? 'unknown'}), ` +
        `cluster ${cluster.clusterId}\n` +
        negotiated.map((n) => `  ${n.api}: kafkajs ${n.kafkajs}, broker ${n.broker} → v${n.version}`).join('\n'),
    );

    expect(release).toMatch(/^4\./);
    // Kafka 4.0 (KIP-896) dropped Fetch v0-v3; seeing that floor confirms the 4.x protocol surface.
    expect(broker.apiKeys.get(kafkajsApiKeys.Fetch)?.minVersion).toBeGreaterThanOrEqual(4);
    expect(negotiated.filter((n) => !Number.isFinite(n.version))).toEqual([]);
  });

  it('consumes in a group, commits, and a second member resumes after the committed offset', async () => {
    const topic = uniqueName('compat');
    const groupId = uniqueName('compat_group');
    await fixture.createTopics([topic], 2);
    const batch = (label: string) =>
      [0, 1].flatMap((partition) =>
        [1, 2, 3].map((n) => ({
          key: `device-${n}`,
          partition,
          value: { label, n },
          headers: { ce_id: `${label}-${partition}-${n}` },
        })),
      );
    await publisher.send(topic, batch('first'));

    const consumeUntil = async (expected: number): Promise<KafkaMessage[]> => {
      const seen: KafkaMessage[] = [];
      // A short long-poll keeps disconnect fast: kafkajs waits for the fetch in flight.
      const consumer = fixture.kafka.consumer({ groupId, maxWaitTimeInMs: 500 });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void seen.push(message) });
      try {
        await eventually(() => expect(seen.length).toBeGreaterThanOrEqual(expected), { timeoutMs: 20_000 });
      } finally {
        // kafkajs commits the offsets it resolved when the member stops.
        await consumer.disconnect();
      }
      return seen;
    };

    const first = await consumeUntil(6);
    expect(first.map((m) => m.headers?.ce_id?.toString()).sort()).toEqual(
      batch('first')
        .map((m) => m.headers.ce_id)
        .sort(),
    );
    expect(await fixture.committedOffsets(groupId, topic)).toEqual(
      new Map([
        [0, 3],
        [1, 3],
      ]),
    );

    await publisher.send(topic, batch('second'));
    const second = await consumeUntil(6);
    // Both partitions delivered their new records, so a re-delivered old one would have come first.
    expect(second.map((m) => JSON.parse(m.value!.toString()).label)).toEqual(Array(6).fill('second'));
    expect(await fixture.committedOffsets(groupId, topic)).toEqual(
      new Map([
        [0, 6],
        [1, 6],
      ]),
    );
  });
});
