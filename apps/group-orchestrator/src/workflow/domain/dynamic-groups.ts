import { cascade, Decision, followDoneGroup } from './group-cascade';
import type { WorkflowGroupDefinition } from './group-workflow.events';
import {
  inactive,
  type Counts,
  type WorkflowGroup,
  type WorkflowOutcome,
  type WorkflowState,
} from './group-workflow.state';

/**
 * Inputs of a dynamic rollout: groups added to the end of its chain and members assigned to its
 * dynamic groups as matching targets appear. A dynamic group's total is the count of its members
 * so far; it succeeds against its capacity and is complete only when full with every action final.
 */

/** Whether the workflow evaluates its running groups now (started, not completed, not being stopped). */
const evaluating = (state: WorkflowState): boolean =>
  state.started && !state.completed && !state.stop && !state.settled;

/**
 * The rollout's last dynamic group filled up and the next one was added. A running group whose
 * NEXTGROUP success condition already held starts it at once; so does a group that finished (or
 * failed and was resumed past) before the new group existed.
 */
export function onGroupAdded(
  state: WorkflowState,
  counts: Counts,
  added: WorkflowGroupDefinition,
  now: number,
): WorkflowOutcome {
  const refused = inactive(state);
  if (refused) return refused;
  if (!state.dynamic) return { ignored: `rollout ${state.rolloutId} is not dynamic` };
  if (state.groups.some((g) => g.groupId === added.groupId))
    return { ignored: `group ${added.groupId} was already added` };
  if (state.stop) return { ignored: `rollout ${state.rolloutId} is stopping: no group is added` };
  const decision = new Decision(state);
  decision.apply({ type: 'GroupWorkflowGroupAdded.v1', data: { rolloutId: state.rolloutId, group: added } });
  if (evaluating(decision.state)) {
    const group = decision.state.groups.find((g) => g.groupId === added.groupId) as WorkflowGroup;
    followDoneGroup(decision, group, counts, now);
    cascade(decision, counts, now);
  }
  return decision.events;
}

/**
 * Members were assigned to groups of the rollout. Static groups were sized when the rollout became
 * ready, so only dynamic groups grow here; a running one is evaluated again, since it may just
 * have become full with its actions already final.
 */
export function onMembersAssigned(
  state: WorkflowState,
  counts: Counts,
  assigned: { groupId: number; added: number }[],
  now: number,
): WorkflowOutcome {
  const refused = inactive(state);
  if (refused) return refused;
  const dynamicIds = new Set(state.groups.filter((g) => g.capacity !== undefined).map((g) => g.groupId));
  const groups = assigned.filter((a) => dynamicIds.has(a.groupId) && a.added > 0);
  if (groups.length === 0) return { ignored: 'no member of a dynamic group' };
  const decision = new Decision(state);
  decision.apply({ type: 'GroupWorkflowMembersAdded.v1', data: { rolloutId: state.rolloutId, groups } });
  if (evaluating(decision.state)) cascade(decision, counts, now);
  return decision.events;
}
