import type { Counter, Histogram } from 'prom-client';
import type { ServiceMetrics } from './service-metrics';

/** Where a relay reports each published batch. */
export interface RelayMetricsRecorder {
  published(events: number, seconds: number): void;
}

/** Most events a backlog read counts: past it the gauge saturates, so a scrape stays cheap however far behind. */
export const relayBacklogCountLimit = 100_000;

/**
 * Relay metric families (`fleetwave_relay_*`): events published to Kafka and the time per batch,
 * per relay; the backlog (events in the store not yet relayed) is read from Postgres when scraped.
 */
export class RelayMetrics {
  private readonly events: Counter<string>;
  private readonly batches: Histogram<string>;

  constructor(private readonly metrics: ServiceMetrics) {
    this.events = metrics.counter({
      name: 'fleetwave_relay_events_published_total',
      help: 'Events a relay published from the event store to Kafka',
      labelNames: ['relay'],
    });
    this.batches = metrics.histogram({
      name: 'fleetwave_relay_publish_seconds',
      help: 'Time to publish one relay batch and get it acknowledged',
      labelNames: ['relay'],
    });
  }

  /** The recorder of one relay. */
  forRelay(relay: string): RelayMetricsRecorder {
    const events = this.events.labels({ relay });
    const batches = this.batches.labels({ relay });
    events.inc(0);
    return {
      published: (count, seconds) => {
        events.inc(count);
        batches.observe(seconds);
      },
    };
  }

  /** Reports each relay's backlog, read when scraped (each read counts at most {@link relayBacklogCountLimit}). */
  trackBacklog(relays: () => { relay: string; backlog: () => Promise<number> }[]): void {
    this.metrics.collectedGauge(
      {
        name: 'fleetwave_relay_backlog_events',
        help: `Events in the store not yet relayed to Kafka (counted up to ${relayBacklogCountLimit})`,
        labelNames: ['relay'],
      },
      async () =>
        Promise.all(relays().map(async ({ relay, backlog }) => ({ labels: { relay }, value: await backlog() }))),
    );
  }
}
