import type { Admin } from 'kafkajs';
import { backoffDelay, sleep, type BackoffPolicy } from './backoff';
import { createKafkaClient } from './kafka-client.factory';
import { errorMessage, silentLogger, type MessagingLogger } from './messaging-logger';

/** Options of {@link ensureTopics}. */
export interface EnsureTopicsOptions {
  logger?: MessagingLogger;
  /** Attempts before giving up; Kafka may still be starting when this runs. Default 10. */
  attempts?: number;
  backoff?: BackoffPolicy;
  replicationFactor?: number;
  clientId?: string;
}

/** What {@link ensureTopics} found and did. */
export interface EnsureTopicsResult {
  created: string[];
  existing: { topic: string; partitions: number }[];
}

/**
 * Creates the given topics with an explicit partition count (replication 1 by default) and
 * returns which were created; topics that already exist are left as they are, so it is safe to
 * run on every start. Retries a bounded number of times, then fails with an error naming the
 * brokers and the last cause.
 */
export async function ensureTopics(
  brokers: string[],
  topics: readonly string[],
  partitions: number,
  options: EnsureTopicsOptions = {},
): Promise<EnsureTopicsResult> {
  if (!Number.isInteger(partitions) || partitions < 1) {
    throw new Error(`partition count must be a positive integer, got ${partitions}`);
  }
  const logger = options.logger ?? silentLogger;
  const attempts = options.attempts ?? 10;
  const backoff = options.backoff ?? { initialDelayMs: 500, maxDelayMs: 5_000, factor: 2 };
  // Our loop owns the retry budget; kafkajs' own retries would multiply it.
  const kafka = createKafkaClient({
    brokers,
    clientId: options.clientId ?? 'fleetwave-topic-admin',
    // Every failed attempt is reported below with its cause; kafkajs' own lines would repeat it.
    logger: { ...logger, error: logger.debug, warn: logger.debug },
    retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 2_000 },
  });

  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const admin = kafka.admin();
    try {
      await admin.connect();
      return await createMissing(admin, [...new Set(topics)], partitions, options.replicationFactor ?? 1, logger);
    } catch (error) {
      lastError = error;
      logger.warn('creating Kafka topics failed; retrying', { attempt, attempts, brokers, error: errorMessage(error) });
      if (attempt < attempts) await sleep(backoffDelay(backoff, attempt));
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
  throw new Error(
    `could not create Kafka topics on ${brokers.join(',')} after ${attempts} attempts ` +
      `(is Kafka running? bash scripts/kafka.sh start): ${errorMessage(lastError)}`,
  );
}

async function createMissing(
  admin: Admin,
  topics: string[],
  partitions: number,
  replicationFactor: number,
  logger: MessagingLogger,
): Promise<EnsureTopicsResult> {
  const present = new Set(await admin.listTopics());
  const missing = topics.filter((topic) => !present.has(topic));
  if (missing.length > 0) {
    // Another instance may create some of them concurrently; kafkajs treats "already exists" as success.
    await admin.createTopics({
      topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor })),
      waitForLeaders: true,
    });
  }
  const existingTopics = topics.filter((topic) => present.has(topic));
  const metadata =
    existingTopics.length > 0 ? await admin.fetchTopicMetadata({ topics: existingTopics }) : { topics: [] };
  const existing = metadata.topics.map((topic) => ({ topic: topic.name, partitions: topic.partitions.length }));
  for (const topic of existing) {
    if (topic.partitions !== partitions) {
      // Never repartition silently: it changes which partition a key maps to and so breaks per-key order.
      logger.warn('existing Kafka topic has a different partition count; left unchanged', {
        topic: topic.topic,
        partitions: topic.partitions,
        wanted: partitions,
      });
    }
  }
  return { created: missing, existing };
}
