import type { MessageHandler } from './message-processor';
import type { SliceHandler } from './batch-isolation';
import { classifyError, failureReason } from './error-classifier';

/**
 * Runs a per-message handler as a batch handler: each message under its own savepoint inside
 * the batch's one transaction, so existing handlers keep their semantics (a rule violation
 * rejects that message only) while the batch commits once. When `shouldStop` turns true the
 * batch ends after the message in flight, and the rest is left for the next owner.
 */
export function perMessageHandler<T>(handle: MessageHandler<T>, shouldStop: () => boolean): SliceHandler<T> {
  return async (items, ctx) => {
    const rejected: { messageId: string; reason: string }[] = [];
    const ignored: string[] = [];
    for (let index = 0; index < items.length; index++) {
      if (ctx.mayStop && index > 0 && shouldStop()) return { rejected, ignored, stoppedAt: index };
      const { message, context } = items[index];
      await ctx.tx.query('SAVEPOINT fleetwave_message');
      try {
        const outcome = await handle(message, { ...context, tx: ctx.tx });
        await ctx.tx.query('RELEASE SAVEPOINT fleetwave_message');
        if (outcome === 'ignored') ignored.push(context.messageId);
      } catch (error) {
        // Anything not known to be permanent retries the whole batch, which is then bisected.
        if (classifyError(error) !== 'permanent') throw error;
        await ctx.tx.query('ROLLBACK TO SAVEPOINT fleetwave_message');
        rejected.push({ messageId: context.messageId, reason: failureReason(error) });
      }
    }
    return { rejected, ignored };
  };
}
