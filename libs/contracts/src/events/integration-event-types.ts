import type { IntegrationEventType } from './integration-event.map';
import type { RolloutEventMap } from './rollout-events';

// Records, so that the compiler insists on every type of each map being listed.
const rollout: Record<keyof RolloutEventMap, true> = {
  'RolloutCreated.v1': true,
  'RolloutGroupMembersAssigned.v1': true,
  'RolloutGroupAdded.v1': true,
  'RolloutReady.v1': true,
  'RolloutApprovalRequested.v1': true,
  'RolloutApproved.v1': true,
  'RolloutDenied.v1': true,
  'RolloutStarted.v1': true,
  'RolloutPaused.v1': true,
  'RolloutResumed.v1': true,
  'RolloutNextGroupTriggered.v1': true,
  'RolloutStopping.v1': true,
  'RolloutStopped.v1': true,
  'RolloutDeleting.v1': true,
  'RolloutDeleted.v1': true,
  'RolloutRemoved.v1': true,
  'RolloutUpdated.v1': true,
  'RolloutFinished.v1': true,
};

const listed: Record<IntegrationEventType, true> = {
  ...rollout,
  'RolloutGroupStarted.v1': true,
  'RolloutGroupFinished.v1': true,
  'RolloutGroupFailed.v1': true,
  'RolloutPauseRequested.v1': true,
  'RolloutGroupsCompleted.v1': true,
  'ActionsScheduled.v1': true,
  'ActionStatusChanged.v1': true,
  'RolloutActionsSettled.v1': true,
  'TargetCreated.v1': true,
};

/** Every integration event type, at run time (for documentation checks and consumers' type lists). */
export const integrationEventTypes = Object.keys(listed) as IntegrationEventType[];

/** The types rollout-command writes for a rollout (rollout.events.v1), membership chunks included. */
export const rolloutEventTypes = Object.keys(rollout) as (keyof RolloutEventMap)[];
