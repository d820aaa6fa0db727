import { rolloutEventTypes, type IntegrationEventType } from '@fleetwave/contracts';
import type { BatchHandler } from '@fleetwave/messaging';
import type { Envelope } from '@fleetwave/service-kit';
import { recordPositions } from '../rollout-position/rollout-position.projection';
import { projectedEventTypes } from './rollout-progress.plan';
import { RolloutProgressProjection } from './rollout-progress.projection';

/** What it consumes: the projected types, and every event of a rollout's stream (each moves its position). */
export const rolloutProgressEventTypes: IntegrationEventType[] = [
  ...new Set<IntegrationEventType>([...projectedEventTypes, ...rolloutEventTypes]),
];

/**
 * The batch handler of the rollout and group read model, in the service and in a rebuild alike: the read model's
 * projection, then the rollouts' positions in the same transaction, so a position is reached only
 * once the read model shows everything up to it.
 */
export function rolloutProgressHandler(schema: string): BatchHandler<Envelope> {
  const projection = new RolloutProgressProjection();
  return async (items, context) => {
    const result = await projection.handleBatch(items, context);
    await recordPositions(context.tx, schema, items);
    return result;
  };
}
