/** Integration events on `rollout.events.v1`, written by rollout-command. Key: rolloutId. */

export type ActionType = 'forced' | 'soft' | 'timeforced' | 'downloadonly';

/** The states of a rollout, as rollout-command decides them (its aggregate's states). */
export const rolloutStates = [
  'creating',
  'ready',
  'waiting_for_approval',
  'approval_denied',
  'running',
  'paused',
  'stopping',
  'stopped',
  'finished',
  'deleting',
  'deleted',
] as const;
export type RolloutState = (typeof rolloutStates)[number];

/**
 * The statuses the Management API shows a rollout in (hawkBit's, lower case): the decided states
 * and `starting` (running, no group started yet), which the read model derives. The read model
 * shows a terminal state only once the counts add up.
 */
export type RolloutViewStatus = RolloutState | 'starting';
export const rolloutViewStatuses: readonly RolloutViewStatus[] = rolloutStates.flatMap((state): RolloutViewStatus[] =>
  state === 'running' ? ['starting', state] : [state],
);
export type SuccessActionKind = 'NEXTGROUP' | 'PAUSE';
export type ErrorActionKind = 'PAUSE';

export interface RolloutCondition {
  condition: 'THRESHOLD';
  /** Integer percentage of the group's action count. */
  expression: number;
}

/**
 * When a group is in error: `THRESHOLD` (hawkBit's) when errors / total > `expression` percent,
 * `ERROR_COUNT` when errors > `expression` devices. Both strict.
 */
export interface ErrorCondition {
  condition: 'THRESHOLD' | 'ERROR_COUNT';
  expression: number;
}

export interface GroupPolicy {
  successCondition: RolloutCondition;
  successAction: { action: SuccessActionKind; expression?: string };
  errorCondition: ErrorCondition;
  errorAction: { action: ErrorActionKind; expression?: string };
}

export interface ArtifactRef {
  filename: string;
  size: number;
  hashes: { sha1?: string; md5?: string; sha256?: string };
  downloadUrl?: string;
}

export interface SoftwareModuleRef {
  id: number;
  type: string;
  name: string;
  version: string;
  artifacts: ArtifactRef[];
}

export interface DistributionSetRef {
  id: number;
  name: string;
  version: string;
  modules: SoftwareModuleRef[];
}

export interface RolloutGroupDefinition extends GroupPolicy {
  groupId: number;
  /** 1-based position in the chain. */
  index: number;
  name: string;
  description?: string;
  targetFilterQuery?: string;
  targetPercentage: number;
  confirmationRequired: boolean;
  /**
   * A group of a dynamic rollout that takes in matching targets as they appear, up to
   * `capacity` members (the template's `targetCount`). Absent for static groups.
   */
  dynamic?: { capacity: number };
}

/** `dynamicGroupTemplate` of a dynamic rollout: each dynamic group takes `targetCount` targets. */
export interface DynamicGroupTemplate {
  nameSuffix: string;
  targetCount: number;
}

export interface RolloutCreatedV1 {
  rolloutId: number;
  name: string;
  description?: string;
  targetFilterQuery: string;
  distributionSet: DistributionSetRef;
  actionType: ActionType;
  forceTime?: number;
  startAt?: number;
  weight: number;
  groups: RolloutGroupDefinition[];
  createdAt: number;
  createdBy: string;
  /**
   * The rollout waits for approval once ready: tenant setting `rollout.approval.enabled` was on
   * and the creator lacked APPROVE_ROLLOUT. Absent in events written before approval existed.
   */
  approvalRequired?: boolean;
  /**
   * A dynamic rollout: after the static groups, its last group is dynamic and, once full, is
   * followed by another (RolloutGroupAdded.v1). It never finishes by itself. Absent: static.
   */
  dynamic?: DynamicGroupTemplate;
}

/** A dynamic rollout's group filled up: the next dynamic group joins the end of the chain. */
export interface RolloutGroupAddedV1 {
  rolloutId: number;
  group: RolloutGroupDefinition;
  addedAt: number;
}

export interface GroupMember {
  targetId: number;
  controllerId: string;
}

/** One chunk of a group's membership; written to `rollout-<id>-membership`. */
export interface RolloutGroupMembersAssignedV1 {
  rolloutId: number;
  groupId: number;
  chunk: number;
  members: GroupMember[];
}

export interface RolloutReadyV1 {
  rolloutId: number;
  totalTargets: number;
  groups: { groupId: number; totalTargets: number }[];
}

export interface RolloutStartedV1 {
  rolloutId: number;
  startedAt: number;
  startedBy: string;
  /**
   * Tenant setting `user.confirmation.flow.enabled` when the rollout started: groups that require
   * confirmation wait for it only when this is true. Absent in older events: the group flag alone decides.
   */
  confirmationFlowEnabled?: boolean;
}

export interface RolloutFinishedV1 {
  rolloutId: number;
  finishedAt: number;
}

/** Ready, but waiting for approval (appended with RolloutReady.v1 when the rollout requires it). */
export interface RolloutApprovalRequestedV1 {
  rolloutId: number;
  requestedAt: number;
}

export interface RolloutApprovedV1 {
  rolloutId: number;
  approvedAt: number;
  approvedBy: string;
  remark?: string;
}

export interface RolloutDeniedV1 {
  rolloutId: number;
  deniedAt: number;
  deniedBy: string;
  remark?: string;
}

/** Why a rollout paused: an operator, a group's error condition (emergency shutdown), a PAUSE success action. */
export type PauseCause = 'MANUAL' | 'ERROR_CONDITION' | 'SUCCESS_ACTION';

export interface RolloutPausedV1 {
  rolloutId: number;
  pausedAt: number;
  pausedBy: string;
  cause: PauseCause;
  /** The group whose condition paused the rollout (absent for a manual pause). */
  groupId?: number;
}

export interface RolloutResumedV1 {
  rolloutId: number;
  resumedAt: number;
  resumedBy: string;
}

/** An operator started the next scheduled group now (`triggerNextGroup`). */
export interface RolloutNextGroupTriggeredV1 {
  rolloutId: number;
  triggeredAt: number;
  triggeredBy: string;
}

/**
 * A started rollout is being stopped: scheduled actions are cancelled, active ones soft-cancelled;
 * it becomes stopped once no action is active any more.
 */
export interface RolloutStoppingV1 {
  rolloutId: number;
  requestedAt: number;
  requestedBy: string;
}

/** Stopped: at once for a rollout that never started, else once its actions have settled. */
export interface RolloutStoppedV1 {
  rolloutId: number;
  stoppedAt: number;
}

/** A started rollout is being deleted (soft): its actions are force-cancelled. */
export interface RolloutDeletingV1 {
  rolloutId: number;
  requestedAt: number;
  requestedBy: string;
}

/** Soft-deleted: its actions are all final. */
export interface RolloutDeletedV1 {
  rolloutId: number;
  deletedAt: number;
}

/** A rollout that never started was deleted: every service forgets it. */
export interface RolloutRemovedV1 {
  rolloutId: number;
  removedAt: number;
  removedBy: string;
}

/** `PUT /rollouts/{id}`: name and description only. */
export interface RolloutUpdatedV1 {
  rolloutId: number;
  name: string;
  description?: string;
  updatedAt: number;
  updatedBy: string;
}

export interface RolloutEventMap {
  'RolloutCreated.v1': RolloutCreatedV1;
  'RolloutGroupMembersAssigned.v1': RolloutGroupMembersAssignedV1;
  'RolloutGroupAdded.v1': RolloutGroupAddedV1;
  'RolloutReady.v1': RolloutReadyV1;
  'RolloutApprovalRequested.v1': RolloutApprovalRequestedV1;
  'RolloutApproved.v1': RolloutApprovedV1;
  'RolloutDenied.v1': RolloutDeniedV1;
  'RolloutStarted.v1': RolloutStartedV1;
  'RolloutPaused.v1': RolloutPausedV1;
  'RolloutResumed.v1': RolloutResumedV1;
  'RolloutNextGroupTriggered.v1': RolloutNextGroupTriggeredV1;
  'RolloutStopping.v1': RolloutStoppingV1;
  'RolloutStopped.v1': RolloutStoppedV1;
  'RolloutDeleting.v1': RolloutDeletingV1;
  'RolloutDeleted.v1': RolloutDeletedV1;
  'RolloutRemoved.v1': RolloutRemovedV1;
  'RolloutUpdated.v1': RolloutUpdatedV1;
  'RolloutFinished.v1': RolloutFinishedV1;
}
