import type { RolloutActionsSettledV1, RolloutPausedV1, RolloutResumedV1 } from '@fleetwave/contracts';
import { figuresOf } from './group-conditions';
import { cascade, completedEvent, Decision, startEvent } from './group-cascade';
import { inactive, type Counts, type Ignored, type WorkflowOutcome, type WorkflowState } from './group-workflow.state';

/** Lifecycle inputs from the rollout (pause, resume, stop, delete, close) and the settling of its actions. */

function notRunning(state: WorkflowState): Ignored | undefined {
  const refused = inactive(state);
  if (refused) return refused;
  if (state.stop) return { ignored: `rollout ${state.rolloutId} is stopping` };
  if (!state.started || state.completed) return { ignored: `rollout ${state.rolloutId} is not running` };
  return undefined;
}

/** The rollout paused. A pause the workflow requested itself is already recorded (it paused from its request on). */
export function onPaused(state: WorkflowState, paused: RolloutPausedV1): WorkflowOutcome {
  const refused = notRunning(state);
  if (refused) return refused;
  if (state.paused) return { ignored: `rollout ${state.rolloutId} is already paused` };
  const { rolloutId, pausedAt, pausedBy, cause, groupId } = paused;
  return [
    {
      type: 'GroupWorkflowPaused.v1',
      data: { rolloutId, pausedAt, pausedBy, cause, ...(groupId === undefined ? {} : { groupId }) },
    },
  ];
}

/**
 * The rollout resumed. After a pause caused by a group (error condition or PAUSE success action),
 * the first scheduled group after that group starts at once; then the normal cascade runs.
 */
export function onResumed(state: WorkflowState, counts: Counts, resumed: RolloutResumedV1): WorkflowOutcome {
  const refused = notRunning(state);
  if (refused) return refused;
  if (!state.paused) return { ignored: `rollout ${state.rolloutId} is not paused` };
  const { rolloutId, resumedAt: now, resumedBy } = resumed;
  const after = state.resumeAfter;
  const decision = new Decision(state);
  decision.apply({ type: 'GroupWorkflowResumed.v1', data: { rolloutId, resumedAt: now, resumedBy } });
  const next =
    after === undefined
      ? undefined
      : state.groups.filter((g) => g.status === 'scheduled' && g.index > after).sort((a, b) => a.index - b.index)[0];
  if (next) decision.apply(startEvent(rolloutId, next, now, { kind: 'RESUMED', by: resumedBy }));
  cascade(decision, counts, now);
  return decision.events;
}

export interface StopRequest {
  rolloutId: number;
  reason: 'STOPPED' | 'DELETED';
  requestedAt: number;
  requestedBy: string;
}

/**
 * The started rollout is being stopped or deleted: its scheduled groups finish at once and no group
 * starts any more. Its running groups finish once its actions have settled (at once if that is
 * already known, e.g. a stopped rollout being deleted, or the settling arrived first).
 */
export function onStopping(state: WorkflowState, counts: Counts, request: StopRequest): WorkflowOutcome {
  const refused = inactive(state);
  if (refused) return refused;
  if (!state.started && !state.completed) return { ignored: `rollout ${state.rolloutId} never started` };
  if (state.stop && !state.stop.completed) return { ignored: `rollout ${state.rolloutId} is already stopping` };
  const now = request.requestedAt;
  const decision = new Decision(state);
  decision.apply({ type: 'GroupWorkflowStopping.v1', data: request });
  for (const group of state.groups.filter((g) => g.status === 'scheduled')) {
    const { rolloutId } = state;
    const { groupId, index } = group;
    decision.apply({
      type: 'RolloutGroupFinished.v1',
      data: { rolloutId, groupId, index, finishedAt: now, ...figuresOf(state, group, counts) },
    });
  }
  finishStop(decision, counts, now);
  return decision.events;
}

/** Every action of the rollout is final after a stop or delete; recorded even when it arrives before the stop. */
export function onActionsSettled(
  state: WorkflowState,
  counts: Counts,
  settled: RolloutActionsSettledV1,
): WorkflowOutcome {
  const refused = inactive(state);
  if (refused) return refused;
  if (state.settled) return { ignored: `actions of rollout ${state.rolloutId} already settled` };
  const { rolloutId, reason, settledAt: now } = settled;
  const decision = new Decision(state);
  decision.apply({ type: 'GroupWorkflowSettled.v1', data: { rolloutId, reason, settledAt: now } });
  finishStop(decision, counts, now);
  return decision.events;
}

/** Stopping and settled, in either order: the running groups finish with their counts, then the groups complete. */
function finishStop(decision: Decision, counts: Counts, now: number): void {
  const { state } = decision;
  if (!state.stop || state.stop.completed || !state.settled) return;
  for (const group of state.groups.filter((g) => g.status === 'running')) {
    const { groupId, index } = group;
    decision.apply({
      type: 'RolloutGroupFinished.v1',
      data: { rolloutId: state.rolloutId, groupId, index, finishedAt: now, ...figuresOf(state, group, counts) },
    });
  }
  decision.apply(completedEvent(state, now));
}

/**
 * RolloutStopped of a rollout that never started, or RolloutRemoved: the workflow is closed and
 * ignores every later input. A started rollout is stopped only after its groups completed: that
 * changes nothing here (it can still be deleted).
 */
export function onClosed(
  state: WorkflowState,
  close: { rolloutId: number; reason: 'STOPPED' | 'REMOVED'; closedAt: number },
): WorkflowOutcome {
  if (state.closed) return { ignored: `workflow of rollout ${state.rolloutId} is closed` };
  if (close.reason === 'STOPPED' && (state.started || state.completed)) {
    return { ignored: `rollout ${state.rolloutId} stopped after its groups completed` };
  }
  return [{ type: 'GroupWorkflowClosed.v1', data: close }];
}
