import type { Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Topics } from '@fleetwave/contracts';
import type { ServiceKit } from '@fleetwave/service-kit';
import { progressHistoryEventTypes } from './progress-buckets.plan';
import { ProgressBucketsProjection } from './progress-buckets.projection';
import { ProgressQueries } from './progress.queries';

/** The consumer group of the progress-over-time projection, its own so that it can be rebuilt alone. */
export const PROGRESS_BUCKETS_CONSUMER_GROUP = 'reporting.progress-buckets';

/** Action deltas, and the rollout events that end or remove a rollout. */
export const progressBucketsTopics = [Topics.actionEvents, Topics.rolloutEvents];

/** Wires the projection into the service kit (its tables come with reporting's migration plan). */
export function wireProgressBuckets(kit: ServiceKit): void {
  kit.consumeEventBatches(
    PROGRESS_BUCKETS_CONSUMER_GROUP,
    progressBucketsTopics,
    new ProgressBucketsProjection().handleBatch,
    progressHistoryEventTypes,
  );
}

/** Progress series and completion estimates over the query connection pool of the service. */
export const progressQueriesProvider: Provider = {
  provide: ProgressQueries,
  useFactory: (db: DataSource) => ProgressQueries.over(db),
  inject: [DataSource],
};
