import type { ErrorCondition, RolloutCondition } from './rollout-events';

/** Integration events on `rollout-group.events.v1`, written by group-orchestrator. Key: rolloutId. */

/** A group's action counts when a decision was taken: the figures behind it. */
export interface GroupFigures {
  total: number;
  finished: number;
  error: number;
  cancelled: number;
}

/**
 * Why a group started: the rollout started (group 1), the previous group's success condition held
 * or it completed, an operator triggered it, or the rollout resumed after a pause.
 */
export type GroupStartReason =
  | { kind: 'ROLLOUT_STARTED' }
  | {
      kind: 'SUCCESS_CONDITION' | 'GROUP_COMPLETE';
      /** The group whose outcome started this one, with its figures and condition. */
      groupId: number;
      figures: GroupFigures;
      condition: RolloutCondition;
    }
  | { kind: 'TRIGGERED'; by: string }
  | { kind: 'RESUMED'; by: string };

export interface RolloutGroupStartedV1 {
  rolloutId: number;
  groupId: number;
  index: number;
  startedAt: number;
  /** Absent in events written before reasons were recorded. */
  reason?: GroupStartReason;
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

/** A group's error condition held: the group is in error (its running actions go on). */
export interface RolloutGroupFailedV1 extends GroupFigures {
  rolloutId: number;
  groupId: number;
  index: number;
  failedAt: number;
  condition: ErrorCondition;
}

/**
 * The workflow asks rollout-command to pause the rollout: a group's error condition held (emergency
 * shutdown, with its error action PAUSE) or its success action is PAUSE and its success condition
 * held. The workflow starts no group from here on until the rollout resumes.
 */
export interface RolloutPauseRequestedV1 extends GroupFigures {
  rolloutId: number;
  groupId: number;
  index: number;
  cause: 'ERROR_CONDITION' | 'SUCCESS_ACTION';
  condition: ErrorCondition | RolloutCondition;
  requestedAt: number;
}

/** Every group of the rollout is finished: nothing is running or scheduled any more. */
export interface RolloutGroupsCompletedV1 {
  rolloutId: number;
  completedAt: number;
}

export interface RolloutGroupEventMap {
  'RolloutGroupStarted.v1': RolloutGroupStartedV1;
  'RolloutGroupFinished.v1': RolloutGroupFinishedV1;
  'RolloutGroupFailed.v1': RolloutGroupFailedV1;
  'RolloutPauseRequested.v1': RolloutPauseRequestedV1;
  'RolloutGroupsCompleted.v1': RolloutGroupsCompletedV1;
}
