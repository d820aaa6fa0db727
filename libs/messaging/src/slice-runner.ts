import type { KafkaMessage } from 'kafkajs';
import type { ConsumerMetricsRecorder } from '@fleetwave/platform';
import { backoffDelay, type BackoffPolicy } from './backoff';
import { waitWithHeartbeats, withHeartbeats, type BatchControls } from './batch-heartbeat';
import { classifyError, failureReason } from './error-classifier';
import type { MessageContext } from './inbound-message';
import type { MessageOutcome } from './message-processor';
import { errorMessage, type MessagingLogger } from './messaging-logger';
import type { RetryRegistry } from './retry-registry';
import type { PreparedSlice, SettledSlice, SliceProcessor } from './slice-processor';

interface SliceRunnerDeps<T> {
  processor: SliceProcessor<T>;
  retries: RetryRegistry;
  logger: MessagingLogger;
  retryBackoff: BackoffPolicy;
  unknownErrorAttempts: number;
  heartbeatIntervalMs: number;
  stopSignal: AbortSignal;
  onOutcome?: (outcome: MessageOutcome, ctx: MessageContext) => void;
  metrics?: ConsumerMetricsRecorder;
}

/**
 * Settles slices of a partition, retrying a failed slice as a whole with capped backoff until
 * it settles: transient failures forever (never skipping), unclassified ones a few times before
 * they count as permanent and get isolated. Every retry is logged with the error text and
 * registered, so a slice that keeps failing shows on the health endpoint.
 */
export class SliceRunner<T> {
  constructor(private readonly deps: SliceRunnerDeps<T>) {}

  /** Reads and parses a slice once, before any attempt. */
  prepare(topic: string, partition: number, messages: KafkaMessage[]): PreparedSlice<T> {
    return this.deps.processor.prepare(topic, partition, messages);
  }

  /** Retries the slice until it is settled; undefined when stopping or the partition moved away. */
  async settle(
    slice: PreparedSlice<T>,
    messages: KafkaMessage[],
    controls: BatchControls,
  ): Promise<SettledSlice | undefined> {
    const { topic, partition } = slice;
    const { processor, retries, logger, heartbeatIntervalMs } = this.deps;
    let unknownFailures = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        const settled = await withHeartbeats(heartbeatIntervalMs, controls.heartbeat, () =>
          processor.apply(slice, unknownFailures >= this.deps.unknownErrorAttempts),
        );
        if (attempt > 1) logger.info('slice settled after retries', { topic, partition, attempt });
        retries.settled(topic, partition);
        this.report(topic, settled);
        return settled;
      } catch (error) {
        const kind = classifyError(error);
        if (kind !== 'transient') unknownFailures++;
        this.deps.metrics?.sliceFailed(topic);
        const delayMs = backoffDelay(this.deps.retryBackoff, attempt);
        const retrying = retries.failed({
          topic,
          partition,
          offset: messages[0].offset,
          messageId: slice.entries[0].context.messageId,
          lastOffset: messages[messages.length - 1].offset,
          messages: messages.length,
          attempts: attempt,
          lastError: failureReason(error),
        });
        logger.warn(`processing failed (${kind}); retrying the batch: ${retrying.lastError}`, {
          ...retrying,
          since: retrying.since.toISOString(),
          delayMs,
        });
        if (!(await waitWithHeartbeats(delayMs, heartbeatIntervalMs, controls, this.deps.stopSignal))) {
          retries.settled(topic, partition);
          return undefined;
        }
      }
    }
  }

  private report(topic: string, slice: SettledSlice): void {
    let processed = 0;
    let deadLettered = 0;
    let duplicates = 0;
    let ignored = 0;
    for (const { outcome, context } of slice.settled) {
      if (outcome === 'processed') processed++;
      else if (outcome === 'dead-lettered') deadLettered++;
      else if (outcome === 'duplicate') duplicates++;
      else ignored++;
      this.deps.logger.debug('message settled', {
        outcome,
        topic: context.topic,
        partition: context.partition,
        offset: context.offset,
      });
      try {
        this.deps.onOutcome?.(outcome, context);
      } catch (error) {
        this.deps.logger.warn('onOutcome callback failed', { error: errorMessage(error) });
      }
    }
    // Once per slice: the hot path pays a few additions per message, nothing more.
    this.deps.metrics?.sliceSettled({
      topic,
      processed,
      deadLettered,
      duplicates,
      ignored,
      handlerSeconds: slice.handlerSeconds,
      transactionSeconds: slice.transactionSeconds,
    });
  }
}
