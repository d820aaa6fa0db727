/** Integration events on `rollout.events.v1`, written by rollout-command. Key: rolloutId. */

export type ActionType = 'forced' | 'soft' | 'timeforced' | 'downloadonly';
export type SuccessActionKind = 'NEXTGROUP' | 'PAUSE';
export type ErrorActionKind = 'PAUSE';

export interface RolloutCondition {
  condition: 'THRESHOLD';
  /** Integer percentage of the group's action count. */
  expression: number;
}

export interface GroupPolicy {
  successCondition: RolloutCondition;
  successAction: { action: SuccessActionKind; expression?: string };
  errorCondition: RolloutCondition;
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
}

export interface RolloutFinishedV1 {
  rolloutId: number;
  finishedAt: number;
}

export interface RolloutEventMap {
  'RolloutCreated.v1': RolloutCreatedV1;
  'RolloutGroupMembersAssigned.v1': RolloutGroupMembersAssignedV1;
  'RolloutReady.v1': RolloutReadyV1;
  'RolloutStarted.v1': RolloutStartedV1;
  'RolloutFinished.v1': RolloutFinishedV1;
}
