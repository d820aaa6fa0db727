import type { Admin } from 'kafkajs';
import { ConsumerLagProbe, type LagTarget } from '@fleetwave/messaging';
import {
  ConsumerMetrics,
  relayBacklogCountLimit,
  RelayMetrics,
  ServiceMetrics,
  trackConsumerLag,
  type ConsumerGroupLag,
  type ConsumerMetricsRecorder,
  type RelayMetricsRecorder,
} from '@fleetwave/platform';

/** A relay as its backlog is read: its name and the subscription that can count what it has not published. */
export interface MeteredRelay {
  relay: string;
  backlog?(limit: number): Promise<number>;
}

/**
 * The kit's share of a service's metrics: the registry, the recorders handed to consumers and
 * relays, and the scrape-time readings of consumer lag (from Kafka) and relay backlogs (from
 * Postgres). Readings stop once the kit stops, so a late scrape opens no connection.
 */
export class KitMetrics {
  readonly metrics: ServiceMetrics;
  private readonly consumers: ConsumerMetrics;
  private readonly relays: RelayMetrics;
  private readonly lagProbe: ConsumerLagProbe;
  private stopped = false;

  constructor(serviceName: string, admin: Admin, lagTargets: () => readonly LagTarget[], relays: () => MeteredRelay[]) {
    this.metrics = new ServiceMetrics(serviceName);
    this.consumers = new ConsumerMetrics(this.metrics);
    this.relays = new RelayMetrics(this.metrics);
    this.lagProbe = new ConsumerLagProbe(admin, lagTargets);
    trackConsumerLag(this.metrics, this);
    this.relays.trackBacklog(() =>
      this.stopped
        ? []
        : relays().flatMap(({ relay, backlog }) =>
            backlog ? [{ relay, backlog: () => backlog(relayBacklogCountLimit) }] : [],
          ),
    );
  }

  /** The recorder of one consumer group. */
  forConsumer(groupId: string): ConsumerMetricsRecorder {
    return this.consumers.forGroup(groupId);
  }

  /** The recorder of one relay. */
  forRelay(relay: string): RelayMetricsRecorder {
    return this.relays.forRelay(relay);
  }

  /** Lag of every consumer group, at most one Kafka read a second; empty once stopped. */
  consumerLag(): Promise<ConsumerGroupLag[]> {
    return this.stopped ? Promise.resolve([]) : this.lagProbe.lag();
  }

  /** Ends the readings and closes the admin connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.lagProbe.close();
  }
}
