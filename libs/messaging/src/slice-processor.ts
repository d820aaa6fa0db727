import type { KafkaMessage } from 'kafkajs';
import type { Pool } from 'pg';
import type { ParseResult } from '@fleetwave/contracts';
import { secondsSince, withTransaction } from '@fleetwave/platform';
import type { BatchItem } from './batch-handler';
import { applyIsolating, type SliceHandler } from './batch-isolation';
import { deadLetterOf } from './dead-letter';
import { decodeJson, messageContextOf, type MessageContext } from './inbound-message';
import type { TopicMessages } from './kafka-publisher';
import type { MessageOutcome, MessageParser } from './message-processor';
import { errorMessage, type MessagingLogger } from './messaging-logger';
import type { ProcessedMessagesStore } from './processed-messages.store';

/** One consumed message, read and parsed once per slice however often the slice is retried. */
interface Entry<T> {
  message: KafkaMessage;
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
    const entries = messages.map((message): Entry<T> => {
      const context = messageContextOf(topic, partition, message);
      // Postgres text cannot hold NUL; such an id could never be recorded, so never processed.
      if (context.messageId.includes('\u0000')) return { message, context, invalid: 'message id contains NUL' };
      const decoded = decodeJson(message.value);
      if (!decoded.ok) {
        return this.deps.undecodable === 'skip'
          ? { message, context, irrelevant: true }
          : { message, context, invalid: decoded.reason };
      }
      const parsed = this.parse(decoded.value, context);
      if (!parsed.ok) return { message, context, invalid: `invalid message: ${parsed.reason}` };
      const irrelevant = this.deps.relevant ? !this.isRelevant(parsed.value) : false;
      return { message, context, value: parsed.value, irrelevant };
    });
    return { topic, partition, entries };
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
      const cut = left.length > 0 ? slice.entries.findIndex((entry) => entry.context === left[0].context) : -1;
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
        deadLetterOf(slice.topic, slice.partition, entry.message, reason),
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
