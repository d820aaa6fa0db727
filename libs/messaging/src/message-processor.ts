import type { PoolClient } from 'pg';
import type { ParseResult } from '@fleetwave/contracts';
import type { MessageContext } from './inbound-message';

/** What `handle` gets besides the message: its origin plus the open transaction to write effects in. */
export interface HandlerContext extends MessageContext {
  /** A client inside an open transaction; it commits together with the processed-message record. */
  tx: PoolClient;
}

/** Validates a decoded JSON value; a failure dead-letters the message with the reason. */
export type MessageParser<T> = (value: unknown, ctx: MessageContext) => ParseResult<T>;

/**
 * Applies a message's effect through `ctx.tx`. Return `'ignored'` when the message deliberately
 * has no effect. A permanent error (a `DeadLetterError`, a data error, a rule violation with a
 * stable code) dead-letters the message; a transient one retries its batch; an unclassified one
 * is retried a few times, then dead-lettered.
 */
export type MessageHandler<T> = (message: T, ctx: HandlerContext) => Promise<void | 'ignored'>;

/** How a message was settled. */
export type MessageOutcome = 'processed' | 'ignored' | 'duplicate' | 'dead-lettered';
