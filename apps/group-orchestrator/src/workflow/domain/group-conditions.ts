import type { ErrorCondition, GroupFigures, RolloutCondition } from '@fleetwave/contracts';
import type { Counts, WorkflowGroup, WorkflowState } from './group-workflow.state';

/**
 * The figures a group's conditions are evaluated on. Cancelled actions stay in the denominator
 * (the total) and count for neither condition; for a downloadonly rollout a downloaded action is
 * finished.
 */
export function figuresOf(state: WorkflowState, group: WorkflowGroup, counts: Counts): GroupFigures {
  const c = counts(group.groupId);
  return {
    total: group.total,
    finished: c.finished + (state.downloadOnly ? c.downloaded : 0),
    error: c.error,
    cancelled: c.cancelled,
  };
}

/**
 * THRESHOLD: errors are more than `expression` percent of the total; ERROR_COUNT: more than
 * `expression` errors. Both strict, and an empty group never errors. Integer arithmetic, so that
 * a count exactly at the threshold never errors through a rounding.
 */
export function errorHolds(condition: ErrorCondition, f: GroupFigures): boolean {
  if (f.total === 0) return false;
  return condition.condition === 'ERROR_COUNT'
    ? f.error > condition.expression
    : f.error * 100 > condition.expression * f.total;
}

/**
 * At least `expression` percent of the total finished; an empty group is a success. A dynamic
 * group (with a `capacity`) is measured against its capacity, not against the members it has so
 * far: its first few finished devices must not count as most of the group.
 */
export function successHolds(condition: RolloutCondition, f: GroupFigures, capacity?: number): boolean {
  if (capacity !== undefined) return f.finished * 100 >= condition.expression * capacity;
  return f.total === 0 || f.finished * 100 >= condition.expression * f.total;
}

/**
 * Every action of the group is final (finished, error or cancelled); a dynamic group only once it
 * is also full, since until then more members may come.
 */
export function isComplete(f: GroupFigures, capacity?: number): boolean {
  if (capacity !== undefined && f.total < capacity) return false;
  return f.finished + f.error + f.cancelled >= f.total;
}
