import type { Counter, Histogram } from 'prom-client';
import type { ServiceMetrics } from './service-metrics';

/** What one settled batch slice of a consumer did; reported once per slice, never per message. */
export interface SliceMeasurement {
  topic: string;
  processed: number;
  deadLettered: number;
  /** Redeliveries already recorded as processed. */
  duplicates: number;
  /** Messages this consumer has no effect for. */
  ignored: number;
  /** Time spent in the handler, and in the whole transaction (record, handler, commit); absent when none ran. */
  handlerSeconds?: number;
  transactionSeconds?: number;
}

/** Where a consumer reports its slices; one per consumer group. */
export interface ConsumerMetricsRecorder {
  /** A slice was settled (its transaction committed, or it needed none). */
  sliceSettled(slice: SliceMeasurement): void;
  /** An attempt at a slice failed and the slice will be retried. */
  sliceFailed(topic: string): void;
}

/** The per-topic series of one group, bound once so a slice costs a map lookup and a few additions. */
interface TopicSeries {
  processed: Counter.Internal;
  deadLettered: Counter.Internal;
  duplicates: Counter.Internal;
  ignored: Counter.Internal;
  failures: Counter.Internal;
  handler: Histogram.Internal<string>;
  transaction: Histogram.Internal<string>;
  sliceSize: Histogram.Internal<string>;
}

const labelNames = ['group', 'topic'] as const;

/** Buckets of the messages-per-slice histogram (slices hold at most 500 by default). */
const sliceSizeBuckets = [1, 5, 10, 25, 50, 100, 250, 500, 1000];

/**
 * The consumer metric families of a service (`fleetwave_consumer_*`), labelled by consumer group
 * and topic. Lag is not here: it is read from Kafka when scraped (see the kit).
 */
export class ConsumerMetrics {
  private readonly processed: Counter<string>;
  private readonly deadLettered: Counter<string>;
  private readonly skipped: Counter<string>;
  private readonly failures: Counter<string>;
  private readonly handler: Histogram<string>;
  private readonly transaction: Histogram<string>;
  private readonly sliceSize: Histogram<string>;

  constructor(metrics: ServiceMetrics) {
    this.processed = metrics.counter({
      name: 'fleetwave_consumer_messages_processed_total',
      help: 'Messages applied by a consumer (their effects committed)',
      labelNames,
    });
    this.deadLettered = metrics.counter({
      name: 'fleetwave_consumer_messages_dead_lettered_total',
      help: 'Messages a consumer sent to the dead-letter topic',
      labelNames,
    });
    this.skipped = metrics.counter({
      name: 'fleetwave_consumer_messages_skipped_total',
      help: 'Messages settled without effect: redeliveries (duplicate) and messages of no concern (ignored)',
      labelNames: [...labelNames, 'reason'],
    });
    this.failures = metrics.counter({
      name: 'fleetwave_consumer_slice_failures_total',
      help: 'Failed attempts at a batch slice (each is retried)',
      labelNames,
    });
    this.handler = metrics.histogram({
      name: 'fleetwave_consumer_batch_handler_seconds',
      help: "Time a consumer's handler spent on one batch slice",
      labelNames,
    });
    this.transaction = metrics.histogram({
      name: 'fleetwave_consumer_batch_transaction_seconds',
      help: 'Duration of the transaction of one batch slice, commit included',
      labelNames,
    });
    this.sliceSize = metrics.histogram({
      name: 'fleetwave_consumer_batch_messages',
      help: 'Messages per settled batch slice',
      labelNames,
      buckets: sliceSizeBuckets,
    });
  }

  /** The recorder of one consumer group. */
  forGroup(group: string): ConsumerMetricsRecorder {
    const byTopic = new Map<string, TopicSeries>();
    const series = (topic: string): TopicSeries => {
      let found = byTopic.get(topic);
      if (!found) {
        const labels = { group, topic };
        found = {
          processed: this.processed.labels(labels),
          deadLettered: this.deadLettered.labels(labels),
          duplicates: this.skipped.labels({ ...labels, reason: 'duplicate' }),
          ignored: this.skipped.labels({ ...labels, reason: 'ignored' }),
          failures: this.failures.labels(labels),
          handler: this.handler.labels(labels),
          transaction: this.transaction.labels(labels),
          sliceSize: this.sliceSize.labels(labels),
        };
        byTopic.set(topic, found);
      }
      return found;
    };
    return {
      sliceSettled: (slice) => {
        const s = series(slice.topic);
        // A zero increment still creates the series, so a dashboard shows 0 rather than no data.
        s.processed.inc(slice.processed);
        s.deadLettered.inc(slice.deadLettered);
        if (slice.duplicates > 0) s.duplicates.inc(slice.duplicates);
        if (slice.ignored > 0) s.ignored.inc(slice.ignored);
        s.sliceSize.observe(slice.processed + slice.deadLettered + slice.duplicates + slice.ignored);
        if (slice.handlerSeconds !== undefined) s.handler.observe(slice.handlerSeconds);
        if (slice.transactionSeconds !== undefined) s.transaction.observe(slice.transactionSeconds);
      },
      sliceFailed: (topic) => series(topic).failures.inc(),
    };
  }
}
