import type { GroupFigures, GroupStartReason } from '@fleetwave/contracts';
import { errorHolds, figuresOf, isComplete, successHolds } from './group-conditions';
import type { WorkflowEvent } from './group-workflow.events';
import { evolveWorkflow, type Counts, type WorkflowGroup, type WorkflowState } from './group-workflow.state';

/** Collects the events of one decision, evolving the state as it goes so that later rules see earlier outcomes. */
export class Decision {
  readonly events: WorkflowEvent[] = [];

  constructor(public state: WorkflowState) {}

  apply(event: WorkflowEvent): void {
    this.events.push(event);
    this.state = evolveWorkflow(this.state, event);
  }
}

/**
 * Evaluates every running group, in index order, until nothing changes (so that empty groups
 * cascade in the same step), then completes the workflow when nothing is left to run.
 */
export function cascade(decision: Decision, counts: Counts, now: number): void {
  for (let changed = true; changed;) {
    changed = false;
    for (const { groupId } of decision.state.groups.filter((g) => g.status === 'running')) {
      changed = evaluateGroup(decision, groupId, counts, now) || changed;
    }
  }
  completeIfDone(decision, now);
}

/** The rules of one running group: error first; else success action; then finish when complete. */
function evaluateGroup(decision: Decision, groupId: number, counts: Counts, now: number): boolean {
  const group = decision.state.groups.find((g) => g.groupId === groupId) as WorkflowGroup;
  if (group.status !== 'running') return false;
  const figures = figuresOf(decision.state, group, counts);
  const { rolloutId } = decision.state;
  const { policy, index } = group;
  if (errorHolds(policy.errorCondition, figures)) {
    const wasPaused = decision.state.paused;
    decision.apply({
      type: 'RolloutGroupFailed.v1',
      data: { rolloutId, groupId, index, failedAt: now, condition: policy.errorCondition, ...figures },
    });
    if (!wasPaused) {
      decision.apply({
        type: 'RolloutPauseRequested.v1',
        data: {
          rolloutId,
          groupId,
          index,
          cause: 'ERROR_CONDITION',
          condition: policy.errorCondition,
          requestedAt: now,
          ...figures,
        },
      });
    }
    return true;
  }
  let changed = false;
  const complete = isComplete(figures, group.capacity);
  const success = successHolds(policy.successCondition, figures, group.capacity);
  if (success || complete) changed = runSuccessAction(decision, group, figures, success, now);
  if (complete) {
    decision.apply({
      type: 'RolloutGroupFinished.v1',
      data: { rolloutId, groupId, index, finishedAt: now, ...figures },
    });
    changed = true;
  }
  return changed;
}

/**
 * A group was added behind a group that is already done (finished, or failed and resumed past):
 * the success action that found no next group then runs now, unless the rollout is paused.
 */
export function followDoneGroup(decision: Decision, added: WorkflowGroup, counts: Counts, now: number): void {
  const { state } = decision;
  if (!state.started || state.completed) return;
  const previous = state.groups.find((g) => g.index === added.index - 1);
  if (!previous || (previous.status !== 'finished' && previous.status !== 'error')) return;
  const figures = figuresOf(state, previous, counts);
  runSuccessAction(
    decision,
    previous,
    figures,
    successHolds(previous.policy.successCondition, figures, previous.capacity),
    now,
  );
}

function runSuccessAction(
  decision: Decision,
  group: WorkflowGroup,
  figures: GroupFigures,
  success: boolean,
  now: number,
): boolean {
  const { state } = decision;
  if (state.paused || state.stop) return false;
  const condition = group.policy.successCondition;
  if (group.policy.successAction.action === 'NEXTGROUP') {
    const next = state.groups.find((g) => g.index === group.index + 1);
    if (next?.status !== 'scheduled') return false;
    const kind = success ? 'SUCCESS_CONDITION' : 'GROUP_COMPLETE';
    decision.apply(startEvent(state.rolloutId, next, now, { kind, groupId: group.groupId, figures, condition }));
    return true;
  }
  const isLast = state.groups.every((g) => g.index <= group.index);
  if (isLast || group.pauseTaken) return false;
  decision.apply({
    type: 'RolloutPauseRequested.v1',
    data: {
      rolloutId: state.rolloutId,
      groupId: group.groupId,
      index: group.index,
      cause: 'SUCCESS_ACTION',
      condition,
      requestedAt: now,
      ...figures,
    },
  });
  return true;
}

/**
 * Nothing running or scheduled (`error` groups are done), not paused, not stopping: the groups are
 * complete. Never for a dynamic rollout: more groups may come until it is stopped or deleted.
 */
function completeIfDone(decision: Decision, now: number): void {
  const { state } = decision;
  if (!state.started || state.completed || state.paused || state.stop || state.dynamic) return;
  if (state.groups.some((g) => g.status === 'running' || g.status === 'scheduled')) return;
  decision.apply(completedEvent(state, now));
}

export function completedEvent(state: WorkflowState, now: number): WorkflowEvent {
  return { type: 'RolloutGroupsCompleted.v1', data: { rolloutId: state.rolloutId, completedAt: now } };
}

export function startEvent(
  rolloutId: number,
  group: WorkflowGroup,
  now: number,
  reason: GroupStartReason,
): WorkflowEvent {
  return {
    type: 'RolloutGroupStarted.v1',
    data: { rolloutId, groupId: group.groupId, index: group.index, startedAt: now, reason },
  };
}

/** The decision's events, or why it had none. */
export function outcomeOf(decision: Decision, nothing: string): WorkflowEvent[] | { ignored: string } {
  return decision.events.length > 0 ? decision.events : { ignored: nothing };
}
