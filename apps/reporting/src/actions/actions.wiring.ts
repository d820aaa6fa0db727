import type { Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Topics } from '@fleetwave/contracts';
import type { ServiceKit } from '@fleetwave/service-kit';
import { actionsProjectedTypes } from './actions.plan';
import { ActionsProjection } from './actions.projection';
import { ActionQueries } from './queries/action.queries';

/**
 * The consumer group of the actions read model, apart from the rollout progress one so that
 * either projection can be rebuilt (offsets reset, tables truncated) without the other.
 */
export const ACTIONS_CONSUMER_GROUP = 'reporting.actions';

/** The topics the actions projection reads: the actions, and rollouts for their names. */
export const actionsProjectionTopics = [Topics.actionEvents, Topics.rolloutEvents];

/** Wires the actions projection into the service kit (its tables come with reporting's migration plan). */
export function wireActionsProjection(kit: ServiceKit): void {
  kit.consumeEventBatches(
    ACTIONS_CONSUMER_GROUP,
    actionsProjectionTopics,
    new ActionsProjection().handleBatch,
    actionsProjectedTypes,
  );
}

/** The read side of the actions, over the query connection pool of the service. */
export const actionQueriesProvider: Provider = {
  provide: ActionQueries,
  useFactory: (db: DataSource) => new ActionQueries((sql, params) => db.query(sql, params)),
  inject: [DataSource],
};
