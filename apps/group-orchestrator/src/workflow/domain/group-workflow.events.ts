import {
  eventGuard,
  type ActionType,
  type EventData,
  type EventEnvelope,
  type GroupPolicy,
  type PauseCause,
  type RolloutGroupEventMap,
} from '@fleetwave/contracts';

/** A group as the workflow is defined with it: its place in the chain and its policy. */
export interface WorkflowGroupDefinition {
  groupId: number;
  index: number;
  policy: GroupPolicy;
  /**
   * A dynamic group: it takes members as they are assigned, up to `capacity`, is complete only
   * when full with every action final, and succeeds against its capacity. Absent: a static group.
   */
  capacity?: number;
}

export interface GroupWorkflowDefinedV1 {
  rolloutId: number;
  groups: WorkflowGroupDefinition[];
  /** The rollout's action type (downloadonly counts `downloaded` as finished). Absent in old events: forced. */
  actionType?: ActionType;
  /** A dynamic rollout: its groups never complete by themselves (only a stop or delete ends them). */
  dynamic?: boolean;
}

export interface GroupTotalsKnownV1 {
  rolloutId: number;
  totals: { groupId: number; totalTargets: number }[];
}

/** A dynamic rollout's group filled up: the next dynamic group joins the end of the chain. */
export interface GroupWorkflowGroupAddedV1 {
  rolloutId: number;
  group: WorkflowGroupDefinition;
}

/** Members were assigned to dynamic groups after the rollout was defined: their totals grow by `added`. */
export interface GroupWorkflowMembersAddedV1 {
  rolloutId: number;
  groups: { groupId: number; added: number }[];
}

/** The rollout paused for a reason the workflow had not recorded itself (an operator, mostly). */
export interface GroupWorkflowPausedV1 {
  rolloutId: number;
  pausedAt: number;
  pausedBy: string;
  cause: PauseCause;
  groupId?: number;
}

export interface GroupWorkflowResumedV1 {
  rolloutId: number;
  resumedAt: number;
  resumedBy: string;
}

/** The rollout is being stopped or deleted: no group starts any more. */
export interface GroupWorkflowStoppingV1 {
  rolloutId: number;
  reason: 'STOPPED' | 'DELETED';
  requestedAt: number;
  requestedBy: string;
}

/** Every action of the stopping rollout is final: its running groups can finish. */
export interface GroupWorkflowSettledV1 {
  rolloutId: number;
  reason: 'STOPPED' | 'DELETED';
  settledAt: number;
}

/** The rollout was stopped before it started, or removed: the workflow takes no input any more. */
export interface GroupWorkflowClosedV1 {
  rolloutId: number;
  reason: 'STOPPED' | 'REMOVED';
  closedAt: number;
}

/** The orchestrator's own events: inputs recorded so that the state rebuilds from the workflow stream alone. */
export interface PrivateWorkflowEventMap {
  'GroupWorkflowDefined.v1': GroupWorkflowDefinedV1;
  'GroupTotalsKnown.v1': GroupTotalsKnownV1;
  'GroupWorkflowGroupAdded.v1': GroupWorkflowGroupAddedV1;
  'GroupWorkflowMembersAdded.v1': GroupWorkflowMembersAddedV1;
  'GroupWorkflowPaused.v1': GroupWorkflowPausedV1;
  'GroupWorkflowResumed.v1': GroupWorkflowResumedV1;
  'GroupWorkflowStopping.v1': GroupWorkflowStoppingV1;
  'GroupWorkflowSettled.v1': GroupWorkflowSettledV1;
  'GroupWorkflowClosed.v1': GroupWorkflowClosedV1;
}

/**
 * The events of a `groupworkflow-<rolloutId>` stream, mapped to their data. The private ones stay
 * in the orchestrator; the group events are also integration events, relayed to
 * rollout-group.events.v1. A new version is a new entry here plus a step on the kit's upcasters.
 */
export interface GroupWorkflowEventMap extends RolloutGroupEventMap, PrivateWorkflowEventMap {}

export type WorkflowEventType = keyof GroupWorkflowEventMap;

/** One workflow event, discriminated by `type`, as written to (and read back from) its stream. */
export type WorkflowEvent = {
  [K in WorkflowEventType]: EventData<K, GroupWorkflowEventMap[K]>;
}[WorkflowEventType];

// Records, so that the compiler insists on every type of the maps being listed.
const publicEventTypes: Record<keyof RolloutGroupEventMap, true> = {
  'RolloutGroupStarted.v1': true,
  'RolloutGroupFinished.v1': true,
  'RolloutGroupFailed.v1': true,
  'RolloutPauseRequested.v1': true,
  'RolloutGroupsCompleted.v1': true,
};
const privateEventTypes: Record<keyof PrivateWorkflowEventMap, true> = {
  'GroupWorkflowDefined.v1': true,
  'GroupTotalsKnown.v1': true,
  'GroupWorkflowGroupAdded.v1': true,
  'GroupWorkflowMembersAdded.v1': true,
  'GroupWorkflowPaused.v1': true,
  'GroupWorkflowResumed.v1': true,
  'GroupWorkflowStopping.v1': true,
  'GroupWorkflowSettled.v1': true,
  'GroupWorkflowClosed.v1': true,
};
const publicTypes = new Set<string>(Object.keys(publicEventTypes));
const knownTypes = new Set<string>([...publicTypes, ...Object.keys(privateEventTypes)]);

/** Narrows an event read from a workflow stream to the {@link WorkflowEvent} union, so a switch on its type types its data. */
export function isWorkflowEvent<TEvent extends EventEnvelope>(event: TEvent): event is TEvent & WorkflowEvent {
  return knownTypes.has(event.type);
}

/** A workflow event that is also an integration event of rollout-group.events.v1 (the only ones relayed). */
export function isPublicWorkflowEvent<TEvent extends EventEnvelope>(event: TEvent): event is TEvent & WorkflowEvent {
  return publicTypes.has(event.type);
}

/** Narrows an event to one workflow event type: `isWorkflowEventOfType(e, 'GroupTotalsKnown.v1') && e.data.totals`. */
export const isWorkflowEventOfType = eventGuard<GroupWorkflowEventMap>();
