import type { KafkaMessage } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import type { ParseResult } from '@fleetwave/contracts';
import { DeadLetterError, deadLetterOf } from './dead-letter';
import { decodeJson, type MessageContext } from './inbound-message';
import type { TopicMessages } from './kafka-publisher';
import { errorMessage, type MessagingLogger } from './messaging-logger';
import type { ProcessedMessagesStore } from './processed-messages.store';

/** What `handle` gets besides the message: its origin plus the open transaction to write effects in. */
export interface HandlerContext extends MessageContext {
  /** A client inside an open transaction; it commits together with the processed-message record. */
  tx: PoolClient;
}

/** Validates a decoded JSON value; a failure dead-letters the message with the reason. */
export type MessageParser<T> = (value: unknown, ctx: MessageContext) => ParseResult<T>;

/**
 * Applies a message's effect through `ctx.tx`. Return `'ignored'` when the message deliberately
 * has no effect; throw {@link DeadLetterError} to dead-letter it; any other error is retried.
 */
export type MessageHandler<T> = (message: T, ctx: HandlerContext) => Promise<void | 'ignored'>;

/** How a message was settled. */
export type MessageOutcome = 'processed' | 'ignored' | 'duplicate' | 'dead-lettered';

interface ProcessorDeps<T> {
  consumerName: string;
  pool: Pool;
  store: ProcessedMessagesStore;
  parse: MessageParser<T>;
  handle: MessageHandler<T>;
  relevant?: (message: T) => boolean;
  publishDeadLetter: (record: TopicMessages) => Promise<void>;
  logger: MessagingLogger;
}

/**
 * Settles one consumed message: decode, parse, then effect + processed record in one Postgres
 * transaction, or the dead-letter topic for input that can never succeed. Throws only for
 * failures worth retrying (database or broker unavailable, handler bugs).
 */
export class MessageProcessor<T> {
  constructor(private readonly deps: ProcessorDeps<T>) {}

  /** Settles the message whose context was read with {@link messageContextOf}. */
  async process(context: MessageContext, message: KafkaMessage): Promise<MessageOutcome> {
    const decoded = decodeJson(message.value);
    if (!decoded.ok) return this.deadLetter(context, message, decoded.reason);
    const parsed = this.parse(decoded.value, context);
    if (!parsed.ok) return this.deadLetter(context, message, `invalid message: ${parsed.reason}`);
    // Nothing to apply, so nothing to record: no transaction at all.
    if (this.deps.relevant && !this.deps.relevant(parsed.value)) return 'ignored';
    try {
      return await this.applyOnce(parsed.value, context);
    } catch (error) {
      if (error instanceof DeadLetterError) return this.deadLetter(context, message, error.reason);
      throw error;
    }
  }

  private parse(value: unknown, context: MessageContext): ParseResult<T> {
    try {
      return this.deps.parse(value, context);
    } catch (error) {
      // A parser that throws on some input would otherwise block the partition forever.
      return { ok: false, reason: `parser threw: ${errorMessage(error)}` };
    }
  }

  private async applyOnce(value: T, context: MessageContext): Promise<MessageOutcome> {
    const { pool, store, consumerName, handle } = this.deps;
    const tx = await pool.connect();
    let broken: Error | undefined;
    // A connection dropped while checked out (Postgres restart, terminated backend) surfaces as an
    // 'error' event on the client; unheard, it would crash the process instead of causing a retry.
    const onConnectionError = (error: Error): void => {
      broken = error;
    };
    tx.on('error', onConnectionError);
    try {
      await tx.query('BEGIN');
      if (!(await store.recordWithin(tx, consumerName, context.messageId))) {
        await tx.query('ROLLBACK');
        return 'duplicate';
      }
      const result = await handle(value, { ...context, tx });
      await tx.query('COMMIT');
      return result === 'ignored' ? 'ignored' : 'processed';
    } catch (error) {
      await tx.query('ROLLBACK').catch((rollbackError: Error) => {
        // The connection is unusable (e.g. Postgres restarted); do not return it to the pool.
        broken = rollbackError;
      });
      throw error;
    } finally {
      tx.off('error', onConnectionError);
      tx.release(broken);
    }
  }

  private async deadLetter(context: MessageContext, message: KafkaMessage, reason: string): Promise<MessageOutcome> {
    const record = deadLetterOf(context.topic, context.partition, message, reason);
    await this.deps.publishDeadLetter(record);
    this.deps.logger.warn('message dead-lettered', {
      topic: context.topic,
      partition: context.partition,
      offset: context.offset,
      messageId: context.messageId,
      deadLetterTopic: record.topic,
      reason,
    });
    return 'dead-lettered';
  }
}
