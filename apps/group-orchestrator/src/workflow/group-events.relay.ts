import { Topics, type RecordedEvent } from '@fleetwave/contracts';
import type { RelayRoute } from '@fleetwave/service-kit';
import { isPublicWorkflowEvent } from './domain/group-workflow.events';

/**
 * Where a workflow stream's event is published: the group events to rollout-group.events.v1, keyed
 * by rollout; the private workflow events (inputs recorded for the workflow's own state) nowhere.
 */
export function groupEventRoute(event: RecordedEvent): RelayRoute | undefined {
  return isPublicWorkflowEvent(event)
    ? { topic: Topics.rolloutGroupEvents, key: String(event.data.rolloutId) }
    : undefined;
}
