import type { PoolClient } from 'pg';
import type { BatchContext, BatchItem, BatchResult } from './batch-handler';
import { classifyError, failureReason } from './error-classifier';

/** A batch handler as the runtime calls it; `stoppedAt` lets the per-message adapter end a batch early. */
export type SliceHandler<T> = (items: BatchItem<T>[], ctx: SliceContext) => Promise<void | SliceResult>;

/** The context the runtime passes: a {@link BatchContext}, plus whether the handler may stop early. */
export interface SliceContext extends BatchContext {
  /** True only for the first call on a whole slice; a split part must be applied entirely. */
  mayStop: boolean;
}

/** A {@link BatchResult}, plus the index of the first item left unapplied for the next owner. */
export interface SliceResult extends BatchResult {
  stoppedAt?: number;
}

/** What applying a slice came to: reasons of rejected items, ids of ignored ones, an early stop. */
export interface AppliedSlice {
  rejected: Map<string, string>;
  ignored: Set<string>;
  stoppedAt?: number;
}

interface IsolationOptions<T> {
  tx: PoolClient;
  topic: string;
  partition: number;
  handle: SliceHandler<T>;
  /** After the retries for unknown errors are spent, they count as permanent. */
  unknownIsPermanent: boolean;
}

/**
 * Applies items through the handler under a savepoint. When the handler fails for good, the
 * culprit is isolated by bisection: the left half, then the right half, each under its own
 * savepoint and in Kafka order, recursively, until the failing items stand alone and are
 * rejected with the full reason while everything else is applied. A transient failure (or an
 * unknown one, while retries remain) is rethrown so that the whole transaction is retried.
 */
export async function applyIsolating<T>(items: BatchItem<T>[], options: IsolationOptions<T>): Promise<AppliedSlice> {
  let savepoints = 0;

  const attempt = async (part: BatchItem<T>[], mayStop: boolean): Promise<AppliedSlice> => {
    const savepoint = `fleetwave_batch_${++savepoints}`;
    await options.tx.query(`SAVEPOINT ${savepoint}`);
    try {
      const result = await options.handle(part, {
        topic: options.topic,
        partition: options.partition,
        tx: options.tx,
        mayStop,
      });
      await options.tx.query(`RELEASE SAVEPOINT ${savepoint}`);
      return normalize(result, part.length);
    } catch (error) {
      const kind = classifyError(error);
      if (kind === 'transient' || (kind === 'unknown' && !options.unknownIsPermanent)) throw error;
      // A broken connection fails here and goes up as the transient error it is.
      await options.tx.query(`ROLLBACK TO SAVEPOINT ${savepoint}`);
      return isolate(part, error);
    }
  };

  const isolate = async (part: BatchItem<T>[], error: unknown): Promise<AppliedSlice> => {
    if (part.length === 1) {
      return { rejected: new Map([[part[0].context.messageId, failureReason(error)]]), ignored: new Set() };
    }
    const middle = Math.ceil(part.length / 2);
    const left = await attempt(part.slice(0, middle), false);
    const right = await attempt(part.slice(middle), false);
    return {
      rejected: new Map([...left.rejected, ...right.rejected]),
      ignored: new Set([...left.ignored, ...right.ignored]),
    };
  };

  return items.length === 0 ? { rejected: new Map(), ignored: new Set() } : attempt(items, true);
}

function normalize(result: void | SliceResult, length: number): AppliedSlice {
  const rejected = new Map((result?.rejected ?? []).map((item) => [item.messageId, item.reason] as const));
  const stoppedAt = result?.stoppedAt !== undefined && result.stoppedAt < length ? result.stoppedAt : undefined;
  return { rejected, ignored: new Set(result?.ignored ?? []), stoppedAt };
}
