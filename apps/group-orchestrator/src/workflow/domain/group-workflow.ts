import type { RolloutNextGroupTriggeredV1 } from '@fleetwave/contracts';
import { cascade, completedEvent, Decision, outcomeOf, startEvent } from './group-cascade';
import { inactive, type Counts, type WorkflowOutcome, type WorkflowState } from './group-workflow.state';

export type { WorkflowEvent } from './group-workflow.events';
export * from './group-workflow.state';
export * from './workflow-lifecycle';
export * from './dynamic-groups';

/**
 * The group workflow of one rollout: events in (rollout defined, totals known, rollout started,
 * action counts changed, lifecycle inputs), group decisions out. Pure: counts and time come in as
 * arguments. Conditions are in group-conditions.ts, the cascade over running groups in
 * group-cascade.ts, pause/resume/stop/close in workflow-lifecycle.ts.
 */

/** The rollout started: its first group starts, and empty groups cascade at once. */
export function onRolloutStarted(state: WorkflowState, counts: Counts, now: number): WorkflowOutcome {
  const refused = inactive(state);
  if (refused) return refused;
  if (state.started || state.completed) return { ignored: `rollout ${state.rolloutId} was already started` };
  const first = state.groups.find((g) => g.index === 1);
  if (!first) return [completedEvent(state, now)];
  const decision = new Decision(state);
  decision.apply(startEvent(state.rolloutId, first, now, { kind: 'ROLLOUT_STARTED' }));
  cascade(decision, counts, now);
  return decision.events;
}

/** Action counts of a group changed: evaluate every running group's conditions. */
export function onCountsChanged(state: WorkflowState, counts: Counts, now: number): WorkflowOutcome {
  const refused = inactive(state);
  if (refused) return refused;
  if (state.stop)
    return { ignored: `rollout ${state.rolloutId} is stopping: its groups finish once its actions settle` };
  // Settled actions mean a stop or delete is under way, even before the workflow has heard of it.
  if (state.settled) return { ignored: `actions of rollout ${state.rolloutId} settled: it is being stopped` };
  if (!state.started || state.completed) return { ignored: `rollout ${state.rolloutId} is not running` };
  const decision = new Decision(state);
  cascade(decision, counts, now);
  return outcomeOf(decision, 'no group condition changed');
}

/** An operator started the next group now: the lowest-index scheduled group starts, whatever the conditions. */
export function onNextGroupTriggered(
  state: WorkflowState,
  counts: Counts,
  triggered: RolloutNextGroupTriggeredV1,
): WorkflowOutcome {
  const refused = inactive(state);
  if (refused) return refused;
  if (state.stop) return { ignored: `rollout ${state.rolloutId} is stopping` };
  if (!state.started || state.completed) return { ignored: `rollout ${state.rolloutId} is not running` };
  if (state.paused) return { ignored: `rollout ${state.rolloutId} is paused` };
  const next = state.groups
    .filter((g) => g.status === 'scheduled')
    .reduce<(typeof state.groups)[number] | undefined>((low, g) => (!low || g.index < low.index ? g : low), undefined);
  if (!next) return { ignored: 'no scheduled group' };
  const now = triggered.triggeredAt;
  const decision = new Decision(state);
  decision.apply(startEvent(state.rolloutId, next, now, { kind: 'TRIGGERED', by: triggered.triggeredBy }));
  cascade(decision, counts, now);
  return decision.events;
}
