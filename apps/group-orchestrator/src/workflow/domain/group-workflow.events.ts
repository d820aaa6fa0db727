import {
  eventGuard,
  type EventData,
  type EventEnvelope,
  type GroupPolicy,
  type RolloutGroupEventMap,
} from '@fleetwave/contracts';

/** A group as the workflow is defined with it: its place in the chain and its policy. */
export interface WorkflowGroupDefinition {
  groupId: number;
  index: number;
  policy: GroupPolicy;
}

export interface GroupWorkflowDefinedV1 {
  rolloutId: number;
  groups: WorkflowGroupDefinition[];
}

export interface GroupTotalsKnownV1 {
  rolloutId: number;
  totals: { groupId: number; totalTargets: number }[];
}

/**
 * The events of a `groupworkflow-<rolloutId>` stream, mapped to their data. The first two are
 * private to the orchestrator; the group events are also integration events, relayed to
 * rollout-group.events.v1. A new version is a new entry here plus a step on the kit's upcasters.
 */
export interface GroupWorkflowEventMap extends RolloutGroupEventMap {
  'GroupWorkflowDefined.v1': GroupWorkflowDefinedV1;
  'GroupTotalsKnown.v1': GroupTotalsKnownV1;
}

export type WorkflowEventType = keyof GroupWorkflowEventMap;

/** One workflow event, discriminated by `type`, as written to (and read back from) its stream. */
export type WorkflowEvent = {
  [K in WorkflowEventType]: EventData<K, GroupWorkflowEventMap[K]>;
}[WorkflowEventType];

// A record, so that the compiler insists on every type of the map being listed.
const workflowEventTypes: Record<WorkflowEventType, true> = {
  'GroupWorkflowDefined.v1': true,
  'GroupTotalsKnown.v1': true,
  'RolloutGroupStarted.v1': true,
  'RolloutGroupFinished.v1': true,
  'RolloutGroupsCompleted.v1': true,
};
const knownTypes = new Set<string>(Object.keys(workflowEventTypes));

/** Narrows an event read from a workflow stream to the {@link WorkflowEvent} union, so a switch on its type types its data. */
export function isWorkflowEvent<TEvent extends EventEnvelope>(event: TEvent): event is TEvent & WorkflowEvent {
  return knownTypes.has(event.type);
}

/** Narrows an event to one workflow event type: `isWorkflowEventOfType(e, 'GroupTotalsKnown.v1') && e.data.totals`. */
export const isWorkflowEventOfType = eventGuard<GroupWorkflowEventMap>();
