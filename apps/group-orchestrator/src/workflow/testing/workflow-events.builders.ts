import type {
  ActionType,
  ErrorCondition,
  GroupFigures,
  GroupPolicy,
  GroupStartReason,
  RolloutCondition,
} from '@fleetwave/contracts';
import type { WorkflowEvent } from '../domain/group-workflow.events';
import {
  emptyWorkflow,
  evolveWorkflow,
  type Counts,
  type GroupCounts,
  type WorkflowState,
} from '../domain/group-workflow.state';

/** Builders for given/when/then tests of the workflow: whole events of rollout 1, whose group i has id 100 + i. */

export const ROLLOUT = 1;
export const NOW = 1_000;
export const gid = (index: number): number => 100 + index;

export const success50: RolloutCondition = { condition: 'THRESHOLD', expression: 50 };
export const error50: ErrorCondition = { condition: 'THRESHOLD', expression: 50 };

/** hawkBit's default policy (success THRESHOLD 50 → NEXTGROUP, error THRESHOLD 50 → PAUSE), with changes. */
export const policy = (change: Partial<GroupPolicy> = {}): GroupPolicy => ({
  successCondition: success50,
  successAction: { action: 'NEXTGROUP' },
  errorCondition: error50,
  errorAction: { action: 'PAUSE' },
  ...change,
});

/** The workflow defined with groups of these totals (one policy for all, or one per group). */
export function defined(
  totals: number[],
  policies: GroupPolicy | GroupPolicy[] = policy(),
  actionType: ActionType = 'forced',
): WorkflowEvent[] {
  const policyOf = (i: number) => (Array.isArray(policies) ? policies[i] : policies);
  return [
    {
      type: 'GroupWorkflowDefined.v1',
      data: {
        rolloutId: ROLLOUT,
        actionType,
        groups: totals.map((_, i) => ({ groupId: gid(i + 1), index: i + 1, policy: policyOf(i) })),
      },
    },
    {
      type: 'GroupTotalsKnown.v1',
      data: { rolloutId: ROLLOUT, totals: totals.map((t, i) => ({ groupId: gid(i + 1), totalTargets: t })) },
    },
  ];
}

export const given = (...events: (WorkflowEvent | WorkflowEvent[])[]): WorkflowState =>
  events.flat().reduce(evolveWorkflow, emptyWorkflow(ROLLOUT));

export const counts =
  (table: Record<number, Partial<GroupCounts>> = {}): Counts =>
  (groupId) => ({ finished: 0, error: 0, cancelled: 0, downloaded: 0, ...table[groupId] });

export const figures = (total: number, finished = 0, error = 0, cancelled = 0): GroupFigures => ({
  total,
  finished,
  error,
  cancelled,
});

export const rolloutStartedReason: GroupStartReason = { kind: 'ROLLOUT_STARTED' };

export const byGroup = (
  kind: 'SUCCESS_CONDITION' | 'GROUP_COMPLETE',
  index: number,
  f: GroupFigures,
  condition: RolloutCondition = success50,
): GroupStartReason => ({ kind, groupId: gid(index), figures: f, condition });

export const groupStarted = (index: number, reason: GroupStartReason, at = NOW): WorkflowEvent => ({
  type: 'RolloutGroupStarted.v1',
  data: { rolloutId: ROLLOUT, groupId: gid(index), index, startedAt: at, reason },
});

export const groupFinished = (index: number, f: GroupFigures, at = NOW): WorkflowEvent => ({
  type: 'RolloutGroupFinished.v1',
  data: { rolloutId: ROLLOUT, groupId: gid(index), index, finishedAt: at, ...f },
});

export const groupFailed = (index: number, f: GroupFigures, condition: ErrorCondition = error50): WorkflowEvent => ({
  type: 'RolloutGroupFailed.v1',
  data: { rolloutId: ROLLOUT, groupId: gid(index), index, failedAt: NOW, condition, ...f },
});

export const pauseRequested = (
  index: number,
  cause: 'ERROR_CONDITION' | 'SUCCESS_ACTION',
  f: GroupFigures,
  condition: ErrorCondition | RolloutCondition = cause === 'ERROR_CONDITION' ? error50 : success50,
): WorkflowEvent => ({
  type: 'RolloutPauseRequested.v1',
  data: { rolloutId: ROLLOUT, groupId: gid(index), index, cause, condition, requestedAt: NOW, ...f },
});

export const groupsCompleted = (at = NOW): WorkflowEvent => ({
  type: 'RolloutGroupsCompleted.v1',
  data: { rolloutId: ROLLOUT, completedAt: at },
});

export const manuallyPaused: WorkflowEvent = {
  type: 'GroupWorkflowPaused.v1',
  data: { rolloutId: ROLLOUT, pausedAt: NOW, pausedBy: 'ops', cause: 'MANUAL' },
};

export const resumedEvent = (at = NOW): WorkflowEvent => ({
  type: 'GroupWorkflowResumed.v1',
  data: { rolloutId: ROLLOUT, resumedAt: at, resumedBy: 'ops' },
});

/** The state after a decision's events (which must be events, not an ignored outcome). */
export function after(state: WorkflowState, outcome: WorkflowEvent[] | { ignored: string }): WorkflowState {
  if (!Array.isArray(outcome)) throw new Error(`expected events, got ignored: ${outcome.ignored}`);
  return outcome.reduce(evolveWorkflow, state);
}

/** A dynamic group's definition: group `index`, taking up to `capacity` members. */
export const dynamicGroup = (index: number, capacity: number, p: GroupPolicy = policy()) => ({
  groupId: gid(index),
  index,
  policy: p,
  capacity,
});

/**
 * A dynamic rollout defined with static groups of these totals, then one dynamic group of
 * `capacity` (its total at ready is 0: its members come chunk by chunk).
 */
export function dynamicDefined(staticTotals: number[], capacity: number, p: GroupPolicy = policy()): WorkflowEvent[] {
  const last = staticTotals.length + 1;
  return [
    {
      type: 'GroupWorkflowDefined.v1',
      data: {
        rolloutId: ROLLOUT,
        actionType: 'forced',
        dynamic: true,
        groups: [
          ...staticTotals.map((_, i) => ({ groupId: gid(i + 1), index: i + 1, policy: p })),
          dynamicGroup(last, capacity, p),
        ],
      },
    },
    {
      type: 'GroupTotalsKnown.v1',
      data: {
        rolloutId: ROLLOUT,
        totals: [...staticTotals, 0].map((t, i) => ({ groupId: gid(i + 1), totalTargets: t })),
      },
    },
  ];
}

export const membersAdded = (index: number, added: number): WorkflowEvent => ({
  type: 'GroupWorkflowMembersAdded.v1',
  data: { rolloutId: ROLLOUT, groups: [{ groupId: gid(index), added }] },
});

export const groupAdded = (index: number, capacity: number, p: GroupPolicy = policy()): WorkflowEvent => ({
  type: 'GroupWorkflowGroupAdded.v1',
  data: { rolloutId: ROLLOUT, group: dynamicGroup(index, capacity, p) },
});
