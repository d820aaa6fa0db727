import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '@fleetwave/contracts';
import {
  createRelay,
  EventTooLargeError,
  PostgresEventStore,
  relayMessageFor,
  type Subscription,
} from '@fleetwave/event-store';
import { createKafkaClient, KafkaPublisher, silentLogger } from '@fleetwave/messaging';
import { eventually, testDatabaseUrl, testKafkaBrokers, uniqueName } from '@fleetwave/testing';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import pg from 'pg';

/**
 * The store's relay on a real broker with its default `message.max.bytes` (1 MiB): a backlog many
 * times that limit, with large events on few keys, goes out whole and in per-key order.
 */

interface Seen {
  id: string;
  key: string;
  seq: number;
}

const pool = new pg.Pool({ connectionString: testDatabaseUrl(), max: 5 });
const kafka: Kafka = createKafkaClient({ brokers: testKafkaBrokers(), clientId: 'relay-int', logger: silentLogger });
const admin: Admin = kafka.admin();
const publisher = new KafkaPublisher({ kafka, logger: silentLogger });
const keys = ['41', '42', '43', '44'];

let schema: string;
let topic: string;
let store: PostgresEventStore;
let relay: Subscription | undefined;
let reader: Consumer | undefined;
// Deleted only at the end: a producer keeps refreshing metadata of every topic it wrote to, and
// a deleted one fails its later sends.
const createdTopics: string[] = [];

beforeAll(async () => {
  await Promise.all([admin.connect(), publisher.connect()]);
});
afterAll(async () => {
  await publisher.disconnect();
  await admin.deleteTopics({ topics: createdTopics }).catch(() => undefined);
  await admin.disconnect();
  await pool.end();
});

beforeEach(async () => {
  schema = uniqueName('relay');
  topic = `${uniqueName('relay-test')}.v1`;
  store = new PostgresEventStore(pool, schema, { logger: { warn: () => undefined, error: () => undefined } });
  await store.migrate();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
  createdTopics.push(topic);
  relay = createRelay({
    store,
    subscriptionId: 'relay-to-kafka',
    categories: ['rollout'],
    publish: async (events: RecordedEvent[]) => {
      const messages = events.map((event) => relayMessageFor(event, 'fleetwave/test', event.streamName.split('-')[1]));
      await publisher.sendBatch([{ topic, messages }]);
    },
  });
  await relay.start();
});
afterEach(async () => {
  await relay?.stop();
  await reader?.disconnect();
  reader = undefined;
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
});

/** Reads the topic from the start in the background, collecting every record. */
async function readTopic(): Promise<Seen[]> {
  const seen: Seen[] = [];
  reader = kafka.consumer({ groupId: `reader-${randomUUID()}`, maxWaitTimeInMs: 200 });
  await reader.connect();
  await reader.subscribe({ topics: [topic], fromBeginning: true });
  void reader.run({
    eachMessage: async ({ message }) => {
      const value = JSON.parse(String(message.value)) as { data: { seq: number } };
      seen.push({ id: String(message.headers?.ce_id), key: String(message.key), seq: value.data.seq });
    },
  });
  return seen;
}

/** Appends `perKey` events of about `bytes` each to every key's stream, interleaving keys. */
async function appendBacklog(perKey: number, bytes: number, from = 0): Promise<void> {
  const chunk = 25;
  for (let start = from; start < from + perKey; start += chunk) {
    await store.appendToStreams(
      keys.map((key) => ({
        streamName: `rollout-${key}`,
        events: Array.from({ length: chunk }, (_, i) => ({
          type: 'RolloutGroupMembersAssigned.v1',
          data: { seq: start + i, members: 'm'.repeat(bytes) },
        })),
      })),
    );
  }
}

/** Per key, the sequence numbers in the order first seen must be 0, 1, 2, … with none missing. */
function expectPerKeyOrder(seen: Seen[], perKey: number): void {
  const firstSeen = new Map<string, Seen>();
  for (const record of seen) if (!firstSeen.has(record.id)) firstSeen.set(record.id, record);
  for (const key of keys) {
    const sequence = [...firstSeen.values()].filter((r) => r.key === key).map((r) => r.seq);
    expect(sequence).toEqual(Array.from({ length: perKey }, (_, i) => i));
  }
}

describe('relay through KafkaPublisher on a real broker', () => {
  it('relays 3,000 events of 20 KB (about 60 times the broker limit) on 4 keys: all, in per-key order', async () => {
    const perKey = 750;
    const seen = await readTopic();
    await appendBacklog(perKey, 20_000);
    await eventually(() => expect(new Set(seen.map((r) => r.id)).size).toBe(keys.length * perKey), {
      timeoutMs: 120_000,
      intervalMs: 250,
      description: 'every event relayed',
    });
    expectPerKeyOrder(seen, perKey);
  });

  it('refuses a too-large event at append time; the relay keeps moving what comes after', async () => {
    const seen = await readTopic();
    await appendBacklog(25, 1_000);
    const oversized = store.appendToStream('rollout-41', [
      { type: 'RolloutGroupMembersAssigned.v1', data: { seq: 25, members: 'm'.repeat(2_000_000) } },
    ]);
    await expect(oversized).rejects.toBeInstanceOf(EventTooLargeError);
    await expect(oversized).rejects.toMatchObject({ code: 'EVENT_STORE.EVENT_TOO_LARGE', streamName: 'rollout-41' });
    await appendBacklog(25, 1_000, 25);
    await eventually(() => expect(new Set(seen.map((r) => r.id)).size).toBe(keys.length * 50), {
      timeoutMs: 60_000,
      description: 'events after the refused one relayed',
    });
    expectPerKeyOrder(seen, 50);
  });
});
