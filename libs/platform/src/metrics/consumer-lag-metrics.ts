import type { ConsumerLagSource } from '../health/consumer-lag';
import type { ServiceMetrics } from './service-metrics';

/** Reports `fleetwave_consumer_lag{group,topic,partition}`, read from the source when scraped. */
export function trackConsumerLag(metrics: ServiceMetrics, source: ConsumerLagSource): void {
  metrics.collectedGauge(
    {
      name: 'fleetwave_consumer_lag',
      help: "Messages in a partition not yet committed by the consumer group (the group's end offset minus its committed one)",
      labelNames: ['group', 'topic', 'partition'],
    },
    async () =>
      (await source.consumerLag()).flatMap(({ groupId, partitions }) =>
        partitions.map(({ topic, partition, lag }) => ({ labels: { group: groupId, topic, partition }, value: lag })),
      ),
  );
}
