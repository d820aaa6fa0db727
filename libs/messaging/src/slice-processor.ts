import type { KafkaMessage } from 'kafkajs';
import type { Pool } from 'pg';
import {
  fromCloudEventBatchEntry,
  isCloudEventBatch,
  toCloudEventHeaders,
  type ParseResult,
} from '@fleetwave/contracts';
import { secondsSince, withTransaction } from '@fleetwave/platform';
import type { BatchItem } from './batch-handler';
import { applyIsolating, type SliceHandler } from './batch-isolation';
import { deadLetterOf } from './dead-letter';
import { decodeJson, messageContextOf, type MessageContext } from './inbound-message';
import type { TopicMessages } from './kafka-publisher';
import type { MessageOutcome, MessageParser } from './message-processor';
import { errorMessage, type MessagingLogger } from './messaging-logger';
import type { ProcessedMessagesStore } from './processed-messages.store';

/**
 * One consumed message, read and parsed once per slice however often the slice is retried. A
 * batch message (CloudEvents batched content mode) gives one entry per event in it, each under
 * the event's own id and with the message's offset.
 */
interface Entry<T> {
  /** The message as it goes to the dead-letter topic: for an event of a batch, that event alone. */
  original: () => KafkaMessage;
  context: MessageContext;
  value?: T;
  /** Set when the message can never be processed: decoding or parsing failed. */
  invalid?: string;
  irrelevant?: boolean;
}

/** A slice read and parsed, ready to be applied (and re-applied on retry). */
export interface PreparedSlice<T> {
  topic: string;
  partition: number;
  entries: Entry<T>[];
}

/** How a slice was settled: each message's outcome, and the offset to resolve (none when nothing settled). */
export interface SettledSlice {
  settled: { outcome: MessageOutcome; context: MessageContext }[];
  lastOffset?: string;
  /** Seconds in the handler and in the whole transaction; absent when the slice needed none. */
  handlerSeconds?: number;
  transactionSeconds?: number;
}

interface SliceProcessorDeps<T> {
  consumerName: string;
  pool: Pool;
  store: ProcessedMessagesStore;
  parse: MessageParser<T>;
  relevant?: (message: T) => boolean;
  /** Messages applied without a processed record: applying them again changes nothing. */
  replaySafe?: (message: T) => boolean;
  /** `skip`: a value that is not JSON is settled as irrelevant instead of dead-lettered. */
  undecodable?: 'dead-letter' | 'skip';
  handle: SliceHandler<T>;
  publishDeadLetters: (records: TopicMessages[]) => Promise<void>;
  logger: MessagingLogger;
}

/** One event of a batch message as a message of its own: the batch's coordinates, its own value and headers. */
const alone = (batch: KafkaMessage, value: unknown, headers: KafkaMessage['headers']): KafkaMessage =>
  ({ ...batch, value: Buffer.from(JSON.stringify(value) ?? 'null'), headers }) as KafkaMessage;

/**
 * Settles a slice of one partition in ONE Postgres transaction: a set-based processed-message
 * record skips redelivered messages (replay-safe ones need none), the handler applies the new
 * ones in Kafka order, dead letters are published before the commit, and the caller resolves
 * offsets only after it.
 */
export class SliceProcessor<T> {
  constructor(private readonly deps: SliceProcessorDeps<T>) {}

  /** Decodes and parses the messages; bad ones are marked for the dead-letter topic. */
  prepare(topic: string, partition: number, messages: KafkaMessage[]): PreparedSlice<T> {
    const entries = messages.flatMap((message): Entry<T>[] => {
      const context = messageContextOf(topic, partition, message);
      const original = () => message;
      if (isCloudEventBatch(message.headers)) return this.batchEntries(context, message);
      // Postgres text cannot hold NUL; such an id could never be recorded, so never processed.
      if (context.messageId.includes('\u0000')) return [{ original, context, invalid: 'message id contains NUL' }];
      const decoded = decodeJson(message.value);
      if (!decoded.ok) {
        return [
          this.deps.undecodable === 'skip'
            ? { original, context, irrelevant: true }
            : { original, context, invalid: decoded.reason },
        ];
      }
      return [this.entryOf(original, context, decoded.value)];
    });
    return { topic, partition, entries };
  }

  /** The parsed entry of one message (or one event of a batch). */
  private entryOf(original: () => KafkaMessage, context: MessageContext, decoded: unknown): Entry<T> {
    const parsed = this.parse(decoded, context);
    if (!parsed.ok) return { original, context, invalid: `invalid message: ${parsed.reason}` };
    const irrelevant = this.deps.relevant ? !this.isRelevant(parsed.value) : false;
    return { original, context, value: parsed.value, irrelevant };
  }

  /**
   * The events of a batch message, each as if it had come alone: its id, its attributes and its
   * data. A batch that is not a JSON array is one bad message; a bad event in it is dead-lettered
   * alone, as the message it would have been on its own.
   */
  private batchEntries(context: MessageContext, message: KafkaMessage): Entry<T>[] {
    const decoded = decodeJson(message.value);
    const events = decoded.ok && Array.isArray(decoded.value) ? (decoded.value as unknown[]) : undefined;
    if (!decoded.ok && this.deps.undecodable === 'skip')
      return [{ original: () => message, context, irrelevant: true }];
    if (!events) {
      const reason = decoded.ok ? 'batch message is not a JSON array' : decoded.reason;
      return [{ original: () => message, context, invalid: reason }];
    }
    return events.map((event, index): Entry<T> => {
      const read = fromCloudEventBatchEntry(event);
      if (!read.ok) {
        // Alone, it is a plain JSON message: the batch's content type would make a replay of it a batch again.
        const original = () => alone(message, event, { ...message.headers, 'content-type': 'application/json' });
        const id = `${context.topic}:${context.partition}:${context.offset}:${index}`;
        return { original, context: { ...context, messageId: id }, invalid: read.reason };
      }
      const { attributes, data } = read;
      const headers = toCloudEventHeaders(attributes);
      const original = () => alone(message, data, headers);
      const inner: MessageContext = { ...context, headers, messageId: attributes.id, cloudEvent: attributes };
      if (attributes.id.includes('\u0000')) return { original, context: inner, invalid: 'message id contains NUL' };
      return this.entryOf(original, inner, data);
    });
  }

  /** Applies the slice once; throws a failure to retry (the transaction is then rolled back). */
  async apply(slice: PreparedSlice<T>, unknownIsPermanent: boolean): Promise<SettledSlice> {
    const candidates = slice.entries.filter((entry) => !entry.invalid && !entry.irrelevant);
    if (candidates.length === 0) {
      // Nothing to apply, so nothing to record: no transaction at all.
      return this.publishAndSettle(slice, slice.entries, new Set(), new Map(), new Set());
    }
    const transactionStart = process.hrtime.bigint();
    let handlerSeconds = 0;
    const settled = await withTransaction(this.deps.pool, async (tx) => {
      const { store, consumerName } = this.deps;
      const safe = new Set(candidates.filter((entry) => this.isReplaySafe(entry.value as T)));
      const ids = [...new Set(candidates.filter((entry) => !safe.has(entry)).map((entry) => entry.context.messageId))];
      const fresh = await store.recordBatchWithin(tx, consumerName, ids);
      const items: BatchItem<T>[] = [];
      const duplicates = new Set<Entry<T>>();
      for (const entry of candidates) {
        if (safe.has(entry) || fresh.delete(entry.context.messageId)) {
          items.push({ message: entry.value as T, context: entry.context });
        } else {
          duplicates.add(entry);
        }
      }
      const handlerStart = process.hrtime.bigint();
      const applied = await applyIsolating(items, {
        tx,
        topic: slice.topic,
        partition: slice.partition,
        handle: this.deps.handle,
        unknownIsPermanent,
      });
      handlerSeconds = secondsSince(handlerStart);
      const left = applied.stoppedAt === undefined ? [] : items.slice(applied.stoppedAt);
      await store.forgetWithin(tx, consumerName, [...applied.rejected.keys(), ...left.map((i) => i.context.messageId)]);
      // The offset resolved is the last kept entry's: the events of a batch message after the cut
      // would be skipped with it, so the cut moves to the start of that message (the events of it
      // applied here are recorded, and are duplicates when it comes again).
      let cut = left.length > 0 ? slice.entries.findIndex((entry) => entry.context === left[0].context) : -1;
      while (cut > 0 && slice.entries[cut - 1].context.offset === slice.entries[cut].context.offset) cut--;
      const kept = cut < 0 ? slice.entries : slice.entries.slice(0, cut);
      return this.publishAndSettle(slice, kept, duplicates, applied.rejected, applied.ignored);
    });
    return { ...settled, handlerSeconds, transactionSeconds: secondsSince(transactionStart) };
  }

  /** Publishes the dead letters of the settled entries (before the caller commits) and reports outcomes. */
  private async publishAndSettle(
    slice: PreparedSlice<T>,
    entries: Entry<T>[],
    duplicates: Set<Entry<T>>,
    rejected: Map<string, string>,
    ignored: Set<string>,
  ): Promise<SettledSlice> {
    const outcomeOf = (entry: Entry<T>): MessageOutcome => {
      if (entry.invalid) return 'dead-lettered';
      if (entry.irrelevant) return 'ignored';
      if (duplicates.has(entry)) return 'duplicate';
      if (rejected.has(entry.context.messageId)) return 'dead-lettered';
      return ignored.has(entry.context.messageId) ? 'ignored' : 'processed';
    };
    const settled = entries.map((entry) => ({ outcome: outcomeOf(entry), context: entry.context, entry }));
    const dead = settled.flatMap(({ outcome, entry }) =>
      outcome === 'dead-lettered'
        ? [{ entry, reason: entry.invalid ?? rejected.get(entry.context.messageId) ?? '' }]
        : [],
    );
    if (dead.length > 0) {
      const records = dead.map(({ entry, reason }) =>
        deadLetterOf(slice.topic, slice.partition, entry.original(), reason),
      );
      await this.deps.publishDeadLetters(records);
      for (const { entry, reason } of dead) {
        this.deps.logger.warn(`message dead-lettered: ${reason}`, {
          topic: slice.topic,
          partition: slice.partition,
          offset: entry.context.offset,
          messageId: entry.context.messageId,
          deadLetterTopic: records[0].topic,
          reason,
        });
      }
    }
    return {
      settled: settled.map(({ outcome, context }) => ({ outcome, context })),
      lastOffset: entries.at(-1)?.context.offset,
    };
  }

  private parse(value: unknown, context: MessageContext): ParseResult<T> {
    try {
      return this.deps.parse(value, context);
    } catch (error) {
      // A parser that throws on some input would otherwise block the partition forever.
      return { ok: false, reason: `parser threw: ${errorMessage(error)}` };
    }
  }

  private isReplaySafe(value: T): boolean {
    try {
      return this.deps.replaySafe?.(value) ?? false;
    } catch {
      // When in doubt, the record keeps the effect exactly-once.
      return false;
    }
  }

  private isRelevant(value: T): boolean {
    try {
      return this.deps.relevant?.(value) ?? true;
    } catch {
      // Let the handler meet it: its failure is classified and, if permanent, dead-lettered.
      return true;
    }
  }
}
