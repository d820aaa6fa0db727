import type { WorkflowEvent, WorkflowGroupDefinition } from './group-workflow.events';

export type { WorkflowEvent } from './group-workflow.events';

/**
 * The group workflow of one rollout: events in (rollout defined, totals known, rollout started,
 * action counts changed), group decisions out. Pure: counts and time come in as arguments.
 */

export type GroupStatus = 'scheduled' | 'running' | 'finished';

export interface WorkflowGroup extends WorkflowGroupDefinition {
  status: GroupStatus;
  total: number;
}

export interface WorkflowState {
  rolloutId: number;
  defined: boolean;
  started: boolean;
  completed: boolean;
  groups: WorkflowGroup[];
}

export interface GroupCounts {
  finished: number;
  error: number;
  cancelled: number;
}

/** Why an input changed nothing; returned instead of events so callers can log it. */
export interface Ignored {
  ignored: string;
}

export const emptyWorkflow = (rolloutId: number): WorkflowState => ({
  rolloutId,
  defined: false,
  started: false,
  completed: false,
  groups: [],
});

export function evolveWorkflow(state: WorkflowState, event: WorkflowEvent): WorkflowState {
  switch (event.type) {
    case 'GroupWorkflowDefined.v1':
      return {
        ...state,
        defined: true,
        groups: event.data.groups.map((g) => ({ ...g, status: 'scheduled' as const, total: 0 })),
      };
    case 'GroupTotalsKnown.v1': {
      const totals = new Map(event.data.totals.map((t) => [t.groupId, t.totalTargets]));
      return { ...state, groups: state.groups.map((g) => ({ ...g, total: totals.get(g.groupId) ?? g.total })) };
    }
    case 'RolloutGroupStarted.v1':
      return { ...state, started: true, groups: withStatus(state.groups, event.data.groupId, 'running') };
    case 'RolloutGroupFinished.v1':
      return { ...state, groups: withStatus(state.groups, event.data.groupId, 'finished') };
    case 'RolloutGroupsCompleted.v1':
      return { ...state, completed: true };
  }
}

/** The rollout started: its first group starts, and empty groups cascade at once. */
export function onRolloutStarted(
  state: WorkflowState,
  counts: (groupId: number) => GroupCounts,
  now: number,
): WorkflowEvent[] | Ignored {
  if (!state.defined) return { ignored: `rollout ${state.rolloutId} has no group workflow` };
  if (state.started) return { ignored: `rollout ${state.rolloutId} was already started` };
  const first = state.groups.find((g) => g.index === 1);
  if (!first) return complete(state, now);
  const start = startEvent(state.rolloutId, first, now);
  return [start, ...cascade(evolveWorkflow(state, start), counts, now)];
}

/** Action counts of a group changed: evaluate every running group's conditions. */
export function onCountsChanged(
  state: WorkflowState,
  counts: (groupId: number) => GroupCounts,
  now: number,
): WorkflowEvent[] | Ignored {
  if (!state.started || state.completed) return { ignored: `rollout ${state.rolloutId} is not running` };
  const events = cascade(state, counts, now);
  return events.length > 0 ? events : { ignored: 'no group condition changed' };
}

/** Applies success/completion rules until nothing changes (empty groups finish in the same step). */
function cascade(initial: WorkflowState, counts: (groupId: number) => GroupCounts, now: number): WorkflowEvent[] {
  const events: WorkflowEvent[] = [];
  let state = initial;
  const apply = (event: WorkflowEvent): void => {
    events.push(event);
    state = evolveWorkflow(state, event);
  };
  for (let changed = true; changed;) {
    changed = false;
    for (const group of state.groups.filter((g) => g.status === 'running')) {
      const c = counts(group.groupId);
      const done = c.finished + c.error + c.cancelled;
      const complete = done >= group.total;
      const success = group.total === 0 || (c.finished * 100) / group.total >= group.policy.successCondition.expression;
      const next = state.groups.find((g) => g.index === group.index + 1);
      if ((success || complete) && next?.status === 'scheduled' && group.policy.successAction.action === 'NEXTGROUP') {
        apply(startEvent(state.rolloutId, next, now));
        changed = true;
      }
      if (complete) {
        apply({
          type: 'RolloutGroupFinished.v1',
          data: {
            rolloutId: state.rolloutId,
            groupId: group.groupId,
            index: group.index,
            finishedAt: now,
            total: group.total,
            ...c,
          },
        });
        changed = true;
      }
    }
  }
  return state.groups.every((g) => g.status === 'finished') && !state.completed
    ? [...events, ...complete(state, now)]
    : events;
}

function complete(state: WorkflowState, now: number): WorkflowEvent[] {
  return [{ type: 'RolloutGroupsCompleted.v1', data: { rolloutId: state.rolloutId, completedAt: now } }];
}

function startEvent(rolloutId: number, group: WorkflowGroup, now: number): WorkflowEvent {
  return {
    type: 'RolloutGroupStarted.v1',
    data: { rolloutId, groupId: group.groupId, index: group.index, startedAt: now },
  };
}

function withStatus(groups: WorkflowGroup[], groupId: number, status: GroupStatus): WorkflowGroup[] {
  return groups.map((g) => (g.groupId === groupId ? { ...g, status } : g));
}
