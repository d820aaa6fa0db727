import {
  rolloutEventTypes,
  rolloutStates,
  type ActionType,
  type EventData,
  type EventEnvelope,
  type RolloutEventMap,
  type RolloutState as DecidedRolloutState,
} from '@fleetwave/contracts';

/** The Rollout aggregate's state and its evolve function; the commands are in rollout.decider.ts. */

/** The aggregate's states, in the shared contracts so that every reader names them alike. */
export type RolloutStatus = DecidedRolloutState;
export const rolloutStatuses: readonly RolloutStatus[] = rolloutStates;

/** What the operator API shows of a rollout besides its status (the fields of the create response). */
export interface RolloutSummary {
  targetFilterQuery: string;
  distributionSetId: number;
  actionType: ActionType;
  weight: number;
  startAt?: number;
  forceTime?: number;
  createdAt: number;
  createdBy: string;
}

export interface PresentRollout {
  kind: 'present';
  rolloutId: number;
  name: string;
  description?: string;
  status: RolloutStatus;
  totalTargets: number;
  groupCount: number;
  approvalRequired: boolean;
  /** Whether it ever started: stop and delete are soft (via stopping/deleting) only for a started one. */
  started: boolean;
  /** A dynamic rollout: its last group takes in targets as they appear, and more groups follow. */
  dynamic?: boolean;
  summary: RolloutSummary;
}

export type RolloutState =
  | { kind: 'absent' }
  /** Deleted before it ever started: gone for every command (404). */
  | { kind: 'removed'; rolloutId: number }
  | PresentRollout;

export const initialRolloutState: RolloutState = { kind: 'absent' };

/** The events of a `rollout-<id>` stream (the membership chunks have a stream of their own). */
export type RolloutStreamEventMap = Omit<RolloutEventMap, 'RolloutGroupMembersAssigned.v1'>;

export type RolloutEvent = {
  [K in keyof RolloutStreamEventMap]: EventData<K, RolloutStreamEventMap[K]>;
}[keyof RolloutStreamEventMap];

// Every type of the map but the membership chunks (contracts' record insists on every type being listed).
const streamTypes = rolloutEventTypes.filter(
  (type): type is RolloutEvent['type'] => type !== 'RolloutGroupMembersAssigned.v1',
);
const knownTypes = new Set<string>(streamTypes);

/** Every type a rollout stream holds, for the relay's mapping. */
export const rolloutStreamEventTypes: RolloutEvent['type'][] = streamTypes;

/** Narrows an event read from a rollout stream to the {@link RolloutEvent} union that {@link evolve} takes. */
export function isRolloutEvent<TEvent extends EventEnvelope>(event: TEvent): event is TEvent & RolloutEvent {
  return knownTypes.has(event.type);
}

/** The status each lifecycle event leads to; undefined for events that leave it as it is. */
const statusAfter: Partial<Record<RolloutEvent['type'], RolloutStatus>> = {
  'RolloutReady.v1': 'ready',
  'RolloutApprovalRequested.v1': 'waiting_for_approval',
  'RolloutApproved.v1': 'ready',
  'RolloutDenied.v1': 'approval_denied',
  'RolloutStarted.v1': 'running',
  'RolloutPaused.v1': 'paused',
  'RolloutResumed.v1': 'running',
  'RolloutStopping.v1': 'stopping',
  'RolloutStopped.v1': 'stopped',
  'RolloutDeleting.v1': 'deleting',
  'RolloutDeleted.v1': 'deleted',
  'RolloutFinished.v1': 'finished',
};

export function evolve(state: RolloutState, event: RolloutEvent): RolloutState {
  if (event.type === 'RolloutCreated.v1') {
    const created = event.data;
    return {
      kind: 'present',
      rolloutId: created.rolloutId,
      name: created.name,
      description: created.description,
      status: 'creating',
      totalTargets: 0,
      groupCount: created.groups.length,
      approvalRequired: created.approvalRequired ?? false,
      started: false,
      ...(created.dynamic ? { dynamic: true } : {}),
      summary: {
        targetFilterQuery: created.targetFilterQuery,
        distributionSetId: created.distributionSet.id,
        actionType: created.actionType,
        weight: created.weight,
        startAt: created.startAt,
        forceTime: created.forceTime,
        createdAt: created.createdAt,
        createdBy: created.createdBy,
      },
    };
  }
  if (state.kind !== 'present') return state;
  switch (event.type) {
    case 'RolloutRemoved.v1':
      return { kind: 'removed', rolloutId: state.rolloutId };
    case 'RolloutUpdated.v1':
      return { ...state, name: event.data.name, description: event.data.description };
    case 'RolloutReady.v1':
      return { ...state, status: 'ready', totalTargets: event.data.totalTargets };
    case 'RolloutStarted.v1':
      return { ...state, status: 'running', started: true };
    case 'RolloutGroupAdded.v1':
      return { ...state, groupCount: state.groupCount + 1 };
    default: {
      const status = statusAfter[event.type];
      return status ? { ...state, status } : state;
    }
  }
}
