import { isEvent, type IntegrationEventType, type RolloutState } from '@fleetwave/contracts';
import type { Envelope } from '@fleetwave/service-kit';

/** The state a lifecycle event leaves a rollout in, as rollout-command decided it. */
export type { RolloutState };

/**
 * States the read model shows only once the rollout's counts add up: until then the state the
 * rollout was in before (see the views of the migration).
 */
export const terminalStates: readonly RolloutState[] = ['finished', 'stopped', 'deleted'];

/** What one lifecycle event of rollout.events.v1 does to the rollout's row. */
export interface LifecycleStep {
  rolloutId: number;
  /** Null for an event that leaves the state as it is (an update, a triggered group). */
  state: RolloutState | null;
  /** The event's own time and actor; they become lastModifiedAt/By. Null time: the event has none. */
  at: number | null;
  by: string | null;
  approval?: { decidedBy: string; remark: string | null };
  rename?: { name: string; description: string | null };
}

/** Lifecycle events with an effect on the rollout row (RolloutCreated and RolloutRemoved are handled apart). */
export const lifecycleEventTypes: IntegrationEventType[] = [
  'RolloutReady.v1',
  'RolloutApprovalRequested.v1',
  'RolloutApproved.v1',
  'RolloutDenied.v1',
  'RolloutStarted.v1',
  'RolloutPaused.v1',
  'RolloutResumed.v1',
  'RolloutNextGroupTriggered.v1',
  'RolloutStopping.v1',
  'RolloutStopped.v1',
  'RolloutDeleting.v1',
  'RolloutDeleted.v1',
  'RolloutUpdated.v1',
  'RolloutFinished.v1',
];

/** The step of a lifecycle event, undefined for any other event. */
export function lifecycleStep(event: Envelope): LifecycleStep | undefined {
  // Events whose data names no actor were appended by a process; the envelope says which.
  const actor = typeof event.metadata?.actor === 'string' ? event.metadata.actor : null;
  const step = (rolloutId: number, state: RolloutState | null, at: number | null, by: string | null) => ({
    rolloutId,
    state,
    at,
    by: by ?? actor,
  });
  if (isEvent(event, 'RolloutReady.v1')) return step(event.data.rolloutId, 'ready', null, null);
  if (isEvent(event, 'RolloutApprovalRequested.v1')) {
    return step(event.data.rolloutId, 'waiting_for_approval', event.data.requestedAt, null);
  }
  if (isEvent(event, 'RolloutApproved.v1')) {
    const { rolloutId, approvedAt, approvedBy, remark } = event.data;
    return {
      ...step(rolloutId, 'ready', approvedAt, approvedBy),
      approval: { decidedBy: approvedBy, remark: remark ?? null },
    };
  }
  if (isEvent(event, 'RolloutDenied.v1')) {
    const { rolloutId, deniedAt, deniedBy, remark } = event.data;
    return {
      ...step(rolloutId, 'approval_denied', deniedAt, deniedBy),
      approval: { decidedBy: deniedBy, remark: remark ?? null },
    };
  }
  if (isEvent(event, 'RolloutStarted.v1')) {
    return step(event.data.rolloutId, 'running', event.data.startedAt, event.data.startedBy);
  }
  if (isEvent(event, 'RolloutPaused.v1')) {
    return step(event.data.rolloutId, 'paused', event.data.pausedAt, event.data.pausedBy);
  }
  if (isEvent(event, 'RolloutResumed.v1')) {
    return step(event.data.rolloutId, 'running', event.data.resumedAt, event.data.resumedBy);
  }
  if (isEvent(event, 'RolloutNextGroupTriggered.v1')) {
    return step(event.data.rolloutId, null, event.data.triggeredAt, event.data.triggeredBy);
  }
  if (isEvent(event, 'RolloutStopping.v1')) {
    return step(event.data.rolloutId, 'stopping', event.data.requestedAt, event.data.requestedBy);
  }
  if (isEvent(event, 'RolloutStopped.v1')) return step(event.data.rolloutId, 'stopped', event.data.stoppedAt, null);
  if (isEvent(event, 'RolloutDeleting.v1')) {
    return step(event.data.rolloutId, 'deleting', event.data.requestedAt, event.data.requestedBy);
  }
  if (isEvent(event, 'RolloutDeleted.v1')) return step(event.data.rolloutId, 'deleted', event.data.deletedAt, null);
  if (isEvent(event, 'RolloutFinished.v1')) return step(event.data.rolloutId, 'finished', event.data.finishedAt, null);
  if (isEvent(event, 'RolloutUpdated.v1')) {
    const { rolloutId, name, description, updatedAt, updatedBy } = event.data;
    return { ...step(rolloutId, null, updatedAt, updatedBy), rename: { name, description: description ?? null } };
  }
  return undefined;
}
