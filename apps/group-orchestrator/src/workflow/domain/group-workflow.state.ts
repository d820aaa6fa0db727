import type { WorkflowEvent, WorkflowGroupDefinition } from './group-workflow.events';

/** `error`: the group's error condition held; it is no longer running (its actions go on) and counts as done. */
export type GroupStatus = 'scheduled' | 'running' | 'finished' | 'error';

export interface WorkflowGroup extends WorkflowGroupDefinition {
  status: GroupStatus;
  total: number;
  /** The group's PAUSE success action was taken: it never pauses the rollout a second time. */
  pauseTaken: boolean;
}

/** A stop or delete of a started rollout in progress (or done: `completed`). */
export interface WorkflowStop {
  reason: 'STOPPED' | 'DELETED';
  completed: boolean;
}

export interface WorkflowState {
  rolloutId: number;
  defined: boolean;
  /** The group totals are known (the rollout is ready). */
  sized: boolean;
  started: boolean;
  completed: boolean;
  closed: boolean;
  downloadOnly: boolean;
  /** A dynamic rollout: it grows by groups and never completes by itself. */
  dynamic: boolean;
  paused: boolean;
  /**
   * Index of the group whose condition paused the workflow: on resume, the first scheduled group
   * after it starts at once. Absent for a manual pause.
   */
  resumeAfter?: number;
  stop?: WorkflowStop;
  /** Every action of the rollout is final after a stop or delete (may be known before the stop itself). */
  settled: boolean;
  groups: WorkflowGroup[];
}

/** Action counts of a group: current numbers of its actions in final statuses, and in `downloaded`. */
export interface GroupCounts {
  finished: number;
  error: number;
  cancelled: number;
  downloaded: number;
}

export type Counts = (groupId: number) => GroupCounts;

/** Why an input changed nothing; returned instead of events so callers can log it. */
export interface Ignored {
  ignored: string;
}

export type WorkflowOutcome = WorkflowEvent[] | Ignored;

/** Why a workflow takes no input at all, if it does not. */
export function inactive(state: WorkflowState): Ignored | undefined {
  if (state.closed) return { ignored: `workflow of rollout ${state.rolloutId} is closed` };
  if (!state.defined) return { ignored: `rollout ${state.rolloutId} has no group workflow` };
  return undefined;
}

export const emptyWorkflow = (rolloutId: number): WorkflowState => ({
  rolloutId,
  defined: false,
  sized: false,
  started: false,
  completed: false,
  closed: false,
  downloadOnly: false,
  dynamic: false,
  paused: false,
  settled: false,
  groups: [],
});

export function evolveWorkflow(state: WorkflowState, event: WorkflowEvent): WorkflowState {
  switch (event.type) {
    case 'GroupWorkflowDefined.v1':
      return {
        ...state,
        defined: true,
        downloadOnly: event.data.actionType === 'downloadonly',
        dynamic: event.data.dynamic === true,
        groups: event.data.groups.map(scheduledGroup),
      };
    case 'GroupTotalsKnown.v1': {
      const totals = new Map(event.data.totals.map((t) => [t.groupId, t.totalTargets]));
      return {
        ...state,
        sized: true,
        // A dynamic group counts its members chunk by chunk, those of its creation included.
        groups: state.groups.map((g) =>
          g.capacity === undefined ? { ...g, total: totals.get(g.groupId) ?? g.total } : g,
        ),
      };
    }
    case 'GroupWorkflowGroupAdded.v1':
      return state.groups.some((g) => g.groupId === event.data.group.groupId)
        ? state
        : { ...state, groups: [...state.groups, scheduledGroup(event.data.group)] };
    case 'GroupWorkflowMembersAdded.v1': {
      const added = new Map(event.data.groups.map((g) => [g.groupId, g.added]));
      return { ...state, groups: state.groups.map((g) => ({ ...g, total: g.total + (added.get(g.groupId) ?? 0) })) };
    }
    case 'RolloutGroupStarted.v1':
      return { ...state, started: true, groups: withGroup(state.groups, event.data.groupId, { status: 'running' }) };
    case 'RolloutGroupFinished.v1':
      return { ...state, groups: withGroup(state.groups, event.data.groupId, { status: 'finished' }) };
    case 'RolloutGroupFailed.v1':
      return {
        ...state,
        // A group failing while the rollout is paused by hand is resumed past like an error pause.
        resumeAfter: state.paused ? (state.resumeAfter ?? event.data.index) : state.resumeAfter,
        groups: withGroup(state.groups, event.data.groupId, { status: 'error' }),
      };
    case 'RolloutPauseRequested.v1':
      return {
        ...state,
        paused: true,
        resumeAfter: event.data.index,
        groups:
          event.data.cause === 'SUCCESS_ACTION'
            ? withGroup(state.groups, event.data.groupId, { pauseTaken: true })
            : state.groups,
      };
    case 'RolloutGroupsCompleted.v1':
      return { ...state, completed: true, stop: state.stop && { ...state.stop, completed: true } };
    case 'GroupWorkflowPaused.v1': {
      const group = state.groups.find((g) => g.groupId === event.data.groupId);
      return { ...state, paused: true, resumeAfter: state.resumeAfter ?? group?.index };
    }
    case 'GroupWorkflowResumed.v1':
      return { ...state, paused: false, resumeAfter: undefined };
    case 'GroupWorkflowStopping.v1':
      return { ...state, stop: { reason: event.data.reason, completed: false } };
    case 'GroupWorkflowSettled.v1':
      return { ...state, settled: true };
    case 'GroupWorkflowClosed.v1':
      return { ...state, closed: true };
  }
}

function scheduledGroup(definition: WorkflowGroupDefinition): WorkflowGroup {
  return { ...definition, status: 'scheduled', total: 0, pauseTaken: false };
}

function withGroup(groups: WorkflowGroup[], groupId: number, change: Partial<WorkflowGroup>): WorkflowGroup[] {
  return groups.map((g) => (g.groupId === groupId ? { ...g, ...change } : g));
}
