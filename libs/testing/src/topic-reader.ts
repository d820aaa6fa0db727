import { randomUUID } from 'node:crypto';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import { fromCloudEventBatchEntry, isCloudEventBatch } from '@fleetwave/contracts';

/** Next offset to be written, per partition. */
export type PartitionOffsets = Map<number, bigint>;

/** A message read back from a topic, with its partition and the broker's timestamp (ms). */
export interface TopicRecord {
  partition: number;
  offset: bigint;
  timestamp: number;
  key: string | undefined;
  value: string;
  headers: Record<string, string>;
}

/** The end (high watermark) of every partition of a topic: where the next message will go. */
export async function topicEndOffsets(admin: Admin, topic: string): Promise<PartitionOffsets> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
}

export interface ReadRangeOptions {
  /** Start offsets per partition; partitions not listed start at their low watermark. */
  from?: PartitionOffsets;
  /** End offsets (exclusive); default: the ends at the time of the call. */
  to?: PartitionOffsets;
  /** Bound on the whole read; the read fails rather than hangs. */
  timeoutMs?: number;
}

/**
 * Reads a topic from `from` to `to` without a committed group (a throwaway consumer group that
 * commits nothing and is deleted afterwards), so a measurement or a check can look at exactly
 * what a run produced, with the broker's timestamps. Records come back sorted by partition and
 * offset; for more than memory holds, use {@link scanTopicRange}.
 */
export async function readTopicRange(
  kafka: Kafka,
  topic: string,
  options: ReadRangeOptions = {},
): Promise<TopicRecord[]> {
  const records: TopicRecord[] = [];
  await scanTopicRange(kafka, topic, options, (record) => records.push(record));
  return records.sort((a, b) => a.partition - b.partition || Number(a.offset - b.offset));
}

/**
 * Like {@link readTopicRange}, but hands each record to `visit` as it arrives and keeps none, so
 * a million-record range costs what the visitor keeps. Within a partition records arrive in
 * offset order; partitions interleave.
 */
export async function scanTopicRange(
  kafka: Kafka,
  topic: string,
  options: ReadRangeOptions,
  visit: (record: TopicRecord) => void,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const to = options.to ?? (await topicEndOffsets(admin, topic));
    const low = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, BigInt(o.low)]));
    const start = new Map<number, bigint>();
    for (const [partition, end] of to) {
      const first = options.from?.get(partition) ?? low.get(partition) ?? 0n;
      const floor = low.get(partition) ?? 0n;
      if (end > first) start.set(partition, first > floor ? first : floor);
    }
    const pending = new Set([...start.keys()].filter((p) => (to.get(p) ?? 0n) > (start.get(p) ?? 0n)));
    if (pending.size === 0) return;
    const groupId = `reader-${randomUUID()}`;
    const consumer = kafka.consumer({ groupId, maxBytes: 16 * 1024 * 1024, allowAutoTopicCreation: false });
    await consumer.connect();
    let finish: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (finish = resolve));
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const end = to.get(batch.partition) ?? 0n;
          for (const message of batch.messages) {
            const offset = BigInt(message.offset);
            if (offset < (start.get(batch.partition) ?? 0n) || offset >= end) continue;
            visit(toRecord(batch.partition, message));
          }
          const last = batch.messages.length > 0 ? BigInt(batch.lastOffset()) : -1n;
          if (last + 1n >= end) pending.delete(batch.partition);
          if (pending.size === 0) finish();
        },
      });
      // Every partition is positioned: the ones with nothing to read at their end, so no history is fetched.
      for (const [partition, end] of to) {
        const offset = pending.has(partition) ? (start.get(partition) ?? end) : end;
        consumer.seek({ topic, partition, offset: offset.toString() });
      }
      const timeoutMs = options.timeoutMs ?? 300_000;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(`reading ${topic} did not finish within ${timeoutMs} ms (${pending.size} partitions left)`),
            ),
          timeoutMs,
        );
      });
      await Promise.race([done, timeout]).finally(() => clearTimeout(timer));
    } finally {
      await consumer.disconnect();
      await admin.deleteGroups([groupId]).catch(() => undefined);
    }
  } finally {
    await admin.disconnect();
  }
}

function toRecord(partition: number, message: KafkaMessage): TopicRecord {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) headers[name] = first.toString();
  }
  return {
    partition,
    offset: BigInt(message.offset),
    timestamp: Number(message.timestamp),
    key: message.key?.toString(),
    value: message.value?.toString() ?? '',
    headers,
  };
}

/** JSON.parse that answers undefined for values that are not JSON (topics carry garbage on purpose). */
export function parseJson<T>(value: string): T | undefined {
  try {
    return JSON.parse(value) as T;
  } catch {
    return undefined;
  }
}

/**
 * The event values a record holds: its value, or for a batch record (CloudEvents batched
 * content mode) the data of each event in it, in order. Values that are not JSON are left out.
 */
export function eventValuesOf<T>(record: TopicRecord): T[] {
  const value = parseJson<unknown>(record.value);
  if (value === undefined) return [];
  if (!isCloudEventBatch(record.headers)) return [value as T];
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry) => {
    const read = fromCloudEventBatchEntry(entry);
    return read.ok ? [read.data as T] : [];
  });
}
