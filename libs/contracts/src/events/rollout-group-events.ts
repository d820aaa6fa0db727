/** Integration events on `rollout-group.events.v1`, written by group-orchestrator. Key: rolloutId. */

export interface RolloutGroupStartedV1 {
  rolloutId: number;
  groupId: number;
  index: number;
  startedAt: number;
}

export interface RolloutGroupFinishedV1 {
  rolloutId: number;
  groupId: number;
  index: number;
  finishedAt: number;
  /** Counts at the moment the group finished. */
  total: number;
  finished: number;
  error: number;
  cancelled: number;
}

/** Every group of the rollout is finished: nothing is running or scheduled any more. */
export interface RolloutGroupsCompletedV1 {
  rolloutId: number;
  completedAt: number;
}

export interface RolloutGroupEventMap {
  'RolloutGroupStarted.v1': RolloutGroupStartedV1;
  'RolloutGroupFinished.v1': RolloutGroupFinishedV1;
  'RolloutGroupsCompleted.v1': RolloutGroupsCompletedV1;
}
