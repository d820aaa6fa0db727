import type { Admin, Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { integrationEventUpcasters } from '@fleetwave/contracts';
import { IdempotentConsumer, sleep, type MessagingLogger } from '@fleetwave/messaging';
import { withTransaction } from '@fleetwave/platform';
import { envelopeIntake, type Envelope } from '@fleetwave/service-kit';
import type { RebuildableProjection } from './reporting-projections';

/** The next offset to read, per topic and partition. */
export type TopicOffsets = Map<string, Map<number, number>>;

export interface RebuildOptions {
  pool: Pool;
  kafka: Kafka;
  /** Reporting's schema, where the tables and the processed-message records are. */
  schema: string;
  projection: RebuildableProjection;
  /** The consumer group to reset and consume in; the projection's own unless given (tests). */
  groupId?: string;
  /** The topic a projection's topic is read from; the same name unless given (tests). */
  topicName?: (topic: string) => string;
  logger: MessagingLogger;
  /** Bound on catching up with the topics' ends as they were when the rebuild began. */
  timeoutMs?: number;
}

export interface RebuildReport {
  projection: string;
  /** Messages between the topics' beginnings and their ends at the start of the rebuild. */
  messages: number;
  durationMs: number;
}

/** The group still has members: the service consumes with it, and offsets cannot be reset under it. */
export class RebuildRefused extends Error {}

/**
 * Drops a projection and rebuilds it from history: the topics from the beginning (their retention
 * is unlimited). With the projection's consumer group idle (the service stopped), its offsets go
 * back to the earliest, its tables and processed-message records are emptied in one transaction,
 * and it consumes again, as the service does, until it has reached the topics' ends as they were
 * when the rebuild began; then its deferred work (a rollup) is finished. Offsets are reset before
 * the tables are emptied, so a crash in between leaves a projection that a later run (or the
 * service) simply replays.
 */
export async function rebuildProjection(options: RebuildOptions): Promise<RebuildReport> {
  const started = Date.now();
  const { pool, kafka, schema, projection, logger } = options;
  const groupId = options.groupId ?? projection.groupId;
  const topics = projection.topics.map(options.topicName ?? ((t) => t));
  const admin = kafka.admin();
  await admin.connect();
  try {
    await assertIdle(admin, groupId);
    const ends = await topicEnds(admin, topics);
    for (const topic of topics) await admin.resetOffsets({ groupId, topic, earliest: true });
    await emptyTables(pool, schema, projection, groupId);
    logger.info('projection emptied; consuming from the beginning', { projection: projection.name, groupId, topics });

    const { handleBatch, settle } = projection.create();
    const consumer = new IdempotentConsumer<Envelope>({
      groupId,
      topics,
      kafka,
      pool,
      schema,
      ...envelopeIntake(integrationEventUpcasters(), projection.types),
      handleBatch,
      logger,
      fromBeginning: true,
      maxWaitTimeMs: 250,
    });
    await consumer.start();
    try {
      await waitCaughtUp(admin, groupId, ends, options.timeoutMs ?? 600_000);
    } finally {
      await consumer.stop();
    }
    await settle?.(pool);
    return {
      projection: projection.name,
      messages: await countBetween(admin, topics, ends),
      durationMs: Date.now() - started,
    };
  } finally {
    await admin.disconnect();
  }
}

async function assertIdle(admin: Admin, groupId: string): Promise<void> {
  const { groups } = await admin.describeGroups([groupId]);
  const members = groups[0]?.members.length ?? 0;
  if (members > 0) {
    throw new RebuildRefused(
      `consumer group ${groupId} has ${members} active member(s): stop the reporting service before rebuilding`,
    );
  }
}

/** The end of every partition of the topics now. */
export async function topicEnds(admin: Admin, topics: readonly string[]): Promise<TopicOffsets> {
  const ends: TopicOffsets = new Map();
  for (const topic of topics) {
    const offsets = await admin.fetchTopicOffsets(topic);
    ends.set(topic, new Map(offsets.map((o) => [o.partition, Number(o.high)])));
  }
  return ends;
}

/**
 * Waits, bounded, until the group's committed offsets reach `ends` on every partition (the
 * consumer commits only after the transaction of what it applied).
 */
export async function waitCaughtUp(
  admin: Admin,
  groupId: string,
  ends: TopicOffsets,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const committed = await admin.fetchOffsets({ groupId, topics: [...ends.keys()] });
    const behind = committed.flatMap(({ topic, partitions }) =>
      // A partition with nothing to read has no committed offset (-1), and is not behind.
      partitions.filter((p) => {
        const end = ends.get(topic)?.get(p.partition) ?? 0;
        return end > 0 && Number(p.offset) < end;
      }),
    );
    if (behind.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(
        `consumer group ${groupId} did not catch up within ${timeoutMs} ms (${behind.length} partitions behind)`,
      );
    }
    await sleep(250);
  }
}

async function emptyTables(pool: Pool, schema: string, projection: RebuildableProjection, groupId: string) {
  await withTransaction(pool, async (tx) => {
    await tx.query(`truncate table ${projection.tables.map((t) => `${schema}.${t}`).join(', ')}`);
    const { rows } = await tx.query<{ present: string | null }>(`select to_regclass($1) as present`, [
      `${schema}.processed_messages`,
    ]);
    if (rows[0]?.present) await tx.query(`delete from ${schema}.processed_messages where consumer = $1`, [groupId]);
  });
}

async function countBetween(admin: Admin, topics: readonly string[], ends: TopicOffsets): Promise<number> {
  let total = 0;
  for (const topic of topics) {
    for (const o of await admin.fetchTopicOffsets(topic))
      total += (ends.get(topic)?.get(o.partition) ?? 0) - Number(o.low);
  }
  return total;
}
