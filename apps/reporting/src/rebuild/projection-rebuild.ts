import type { Admin, Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { integrationEventUpcasters } from '@fleetwave/contracts';
import { IdempotentConsumer, sleep, type BatchHandler, type MessagingLogger } from '@fleetwave/messaging';
import { withTransaction } from '@fleetwave/platform';
import { envelopeIntake, type Envelope } from '@fleetwave/service-kit';
import {
  composeProjections,
  READ_MODEL_GROUP,
  readModelTopics,
  reportingProjections,
  type ComposedProjections,
  type ReportingProjection,
} from '../read-model/reporting-projections';

/** The next offset to read, per topic and partition. */
export type TopicOffsets = Map<string, Map<number, number>>;

export interface RebuildOptions {
  pool: Pool;
  kafka: Kafka;
  /** Reporting's schema, where the tables and the processed-message records are. */
  schema: string;
  /** The projections to drop and rebuild; all of reporting's, or some of them. */
  projections: readonly ReportingProjection[];
  /** The read model's consumer group, the service's one unless given (tests). */
  groupId?: string;
  /** The topic a read-model topic is read from; the same name unless given (tests). */
  topicName?: (topic: string) => string;
  logger: MessagingLogger;
  /** Bound on each catch-up with the topics. */
  timeoutMs?: number;
}

export interface RebuildReport {
  projections: string[];
  /** Messages replayed into the rebuilt projections. */
  messages: number;
  durationMs: number;
}

/** The group still has members: the service consumes with it, and offsets cannot be reset under it. */
export class RebuildRefused extends Error {}

/**
 * Drops projections of reporting and rebuilds them from history: the topics from the beginning
 * (their retention is unlimited). The read model's consumer group must be idle (the service
 * stopped).
 *
 * - All projections: the group's offsets go back to the earliest, every table and its
 *   processed-message records are emptied in one transaction, and it consumes again, as the
 *   service does, until it has reached the topics' ends as they were when the rebuild began.
 *   Offsets are reset before the tables are emptied, so a crash in between leaves a read model
 *   that a later run (or the service) simply replays.
 * - Some of them: the group first catches up with the topics' ends for every projection, and
 *   stops there. Then the chosen projections' tables are emptied and replayed, in a scratch group
 *   of their own, up to exactly the offsets the group stopped at; the service goes on from there
 *   for all projections alike.
 *
 * Deferred work (a rollup) of what was consumed is finished at the end.
 */
export async function rebuildProjections(options: RebuildOptions): Promise<RebuildReport> {
  const started = Date.now();
  const { pool, schema, projections } = options;
  const groupId = options.groupId ?? READ_MODEL_GROUP;
  const topics = readModelTopics.map(options.topicName ?? ((t) => t));
  const timeoutMs = options.timeoutMs ?? 600_000;
  const everything = reportingProjections.every((p) => projections.some((q) => q.name === p.name));
  const admin = options.kafka.admin();
  await admin.connect();
  const replay = (
    group: string,
    composed: ComposedProjections,
    until: TopicOffsets,
    handleBatch = composed.handleBatch,
  ) => consumeUntil(options, admin, { groupId: group, topics, types: composed.types, handleBatch, until, timeoutMs });
  try {
    await assertIdle(admin, groupId);
    const ends = await topicEnds(admin, topics);
    // Every projection as the service runs them, in the group's own replay.
    const all = composeProjections(reportingProjections);
    if (everything) {
      for (const topic of topics) await admin.resetOffsets({ groupId, topic, earliest: true });
      await emptyTables(pool, schema, reportingProjections, groupId);
      await replay(groupId, all, ends);
      await all.settle(pool);
      return report(projections, countBetween(ends, await topicStarts(admin, topics)), started);
    }

    await replay(groupId, all, ends);
    await all.settle(pool);
    const stoppedAt = await committedOffsets(admin, groupId, topics);

    const scratch = `${groupId}.rebuild`;
    await deleteGroup(admin, scratch);
    await emptyTables(pool, schema, projections, scratch);
    const chosen = composeProjections(projections);
    await replay(scratch, chosen, stoppedAt, upTo(stoppedAt, chosen.handleBatch));
    await chosen.settle(pool);
    await deleteGroup(admin, scratch);
    await pool.query(`delete from ${schema}.processed_messages where consumer = $1`, [scratch]);
    return report(projections, countBetween(stoppedAt, await topicStarts(admin, topics)), started);
  } finally {
    await admin.disconnect();
  }
}

function report(projections: readonly ReportingProjection[], messages: number, started: number): RebuildReport {
  return { projections: projections.map((p) => p.name), messages, durationMs: Date.now() - started };
}

interface CatchUp {
  groupId: string;
  topics: string[];
  types: string[];
  handleBatch: BatchHandler<Envelope>;
  until: TopicOffsets;
  timeoutMs: number;
}

/** Consumes in the group, as the service does, until its committed offsets reach `until`. */
async function consumeUntil(options: RebuildOptions, admin: Admin, catchUp: CatchUp): Promise<void> {
  const consumer = new IdempotentConsumer<Envelope>({
    groupId: catchUp.groupId,
    topics: catchUp.topics,
    kafka: options.kafka,
    pool: options.pool,
    schema: options.schema,
    ...envelopeIntake(integrationEventUpcasters(), catchUp.types),
    handleBatch: catchUp.handleBatch,
    logger: options.logger,
    fromBeginning: true,
    maxWaitTimeMs: 250,
  });
  await consumer.start();
  try {
    await waitCaughtUp(admin, catchUp.groupId, catchUp.until, catchUp.timeoutMs);
  } finally {
    await consumer.stop();
  }
}

/** The handler, applied only to the messages before `offsets`; later ones are left (ignored). */
function upTo(offsets: TopicOffsets, handleBatch: BatchHandler<Envelope>): BatchHandler<Envelope> {
  return async (items, context) => {
    const end = offsets.get(context.topic)?.get(context.partition) ?? 0;
    const before = items.filter((item) => Number(item.context.offset) < end);
    const after = items.filter((item) => Number(item.context.offset) >= end).map((item) => item.context.messageId);
    const result = before.length > 0 ? await handleBatch(before, context) : undefined;
    return { ...result, ignored: [...(result?.ignored ?? []), ...after] };
  };
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

async function deleteGroup(admin: Admin, groupId: string): Promise<void> {
  const { groups } = await admin.listGroups();
  if (groups.some((g) => g.groupId === groupId)) await admin.deleteGroups([groupId]);
}

/** The end of every partition of the topics now. */
export async function topicEnds(admin: Admin, topics: readonly string[]): Promise<TopicOffsets> {
  return offsetsOf(admin, topics, 'high');
}

async function topicStarts(admin: Admin, topics: readonly string[]): Promise<TopicOffsets> {
  return offsetsOf(admin, topics, 'low');
}

async function offsetsOf(admin: Admin, topics: readonly string[], which: 'low' | 'high'): Promise<TopicOffsets> {
  const offsets: TopicOffsets = new Map();
  for (const topic of topics) {
    const partitions = await admin.fetchTopicOffsets(topic);
    offsets.set(topic, new Map(partitions.map((o) => [o.partition, Number(o[which])])));
  }
  return offsets;
}

/** The group's committed offsets; a partition it has none for is at 0. */
async function committedOffsets(admin: Admin, groupId: string, topics: readonly string[]): Promise<TopicOffsets> {
  const offsets: TopicOffsets = new Map();
  for (const { topic, partitions } of await admin.fetchOffsets({ groupId, topics: [...topics] })) {
    offsets.set(topic, new Map(partitions.map((p) => [p.partition, Math.max(0, Number(p.offset))])));
  }
  return offsets;
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

async function emptyTables(pool: Pool, schema: string, projections: readonly ReportingProjection[], groupId: string) {
  await withTransaction(pool, async (tx) => {
    const tables = projections.flatMap((p) => p.tables.map((t) => `${schema}.${t}`));
    await tx.query(`truncate table ${tables.join(', ')}`);
    const { rows } = await tx.query<{ present: string | null }>(`select to_regclass($1) as present`, [
      `${schema}.processed_messages`,
    ]);
    if (rows[0]?.present) await tx.query(`delete from ${schema}.processed_messages where consumer = $1`, [groupId]);
  });
}

/** Messages between `starts` and `ends`, over every partition. */
function countBetween(ends: TopicOffsets, starts: TopicOffsets): number {
  let total = 0;
  for (const [topic, partitions] of ends) {
    for (const [partition, end] of partitions) total += Math.max(0, end - (starts.get(topic)?.get(partition) ?? 0));
  }
  return total;
}
