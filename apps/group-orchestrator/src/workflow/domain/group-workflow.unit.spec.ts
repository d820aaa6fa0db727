import type { GroupPolicy } from '@fleetwave/contracts';
import {
  emptyWorkflow,
  evolveWorkflow,
  GroupCounts,
  onCountsChanged,
  onRolloutStarted,
  WorkflowEvent,
  WorkflowState,
} from './group-workflow';

const policy: GroupPolicy = {
  successCondition: { condition: 'THRESHOLD', expression: 50 },
  successAction: { action: 'NEXTGROUP' },
  errorCondition: { condition: 'THRESHOLD', expression: 50 },
  errorAction: { action: 'PAUSE' },
};
const NOW = 1_000;

function workflow(totals: number[]): WorkflowState {
  const groups = totals.map((_, i) => ({ groupId: 100 + i, index: i + 1, policy }));
  const events: WorkflowEvent[] = [
    { type: 'GroupWorkflowDefined.v1', data: { rolloutId: 1, groups } },
    {
      type: 'GroupTotalsKnown.v1',
      data: { rolloutId: 1, totals: totals.map((t, i) => ({ groupId: 100 + i, totalTargets: t })) },
    },
  ];
  return events.reduce(evolveWorkflow, emptyWorkflow(1));
}

const counts =
  (table: Record<number, Partial<GroupCounts>>) =>
  (groupId: number): GroupCounts => ({ finished: 0, error: 0, cancelled: 0, ...table[groupId] });

const types = (result: WorkflowEvent[] | { ignored: string }) =>
  'ignored' in result ? result : result.map((e) => `${e.type}:${'groupId' in e.data ? e.data.groupId : ''}`);

describe('group workflow', () => {
  it('starts only the first group when the rollout starts', () => {
    expect(types(onRolloutStarted(workflow([2, 2, 2]), counts({}), NOW))).toEqual(['RolloutGroupStarted.v1:100']);
  });

  it('starts the next group when the success threshold is reached, and keeps the first running', () => {
    const state = [...(onRolloutStarted(workflow([4, 4]), counts({}), NOW) as WorkflowEvent[])].reduce(
      evolveWorkflow,
      workflow([4, 4]),
    );
    expect(types(onCountsChanged(state, counts({ 100: { finished: 1 } }), NOW))).toEqual({
      ignored: 'no group condition changed',
    });
    expect(types(onCountsChanged(state, counts({ 100: { finished: 2 } }), NOW))).toEqual([
      'RolloutGroupStarted.v1:101',
    ]);
  });

  it('finishes a complete group even when its success condition did not hold, then completes the rollout', () => {
    const started = workflow([2]);
    const state = (onRolloutStarted(started, counts({}), NOW) as WorkflowEvent[]).reduce(evolveWorkflow, started);
    expect(types(onCountsChanged(state, counts({ 100: { error: 1, cancelled: 1 } }), NOW))).toEqual([
      'RolloutGroupFinished.v1:100',
      'RolloutGroupsCompleted.v1:',
    ]);
  });

  it('cascades through empty groups at once (3 targets in 5 groups: 1, 1, 0, 1, 0)', () => {
    let state = workflow([1, 1, 0, 1, 0]);
    state = (onRolloutStarted(state, counts({}), NOW) as WorkflowEvent[]).reduce(evolveWorkflow, state);
    const step = onCountsChanged(state, counts({ 100: { finished: 1 }, 101: { finished: 1 } }), NOW);
    expect(types(step)).toEqual([
      'RolloutGroupStarted.v1:101',
      'RolloutGroupFinished.v1:100',
      'RolloutGroupStarted.v1:102',
      'RolloutGroupFinished.v1:101',
      'RolloutGroupStarted.v1:103',
      'RolloutGroupFinished.v1:102',
    ]);
  });

  it('completes a rollout with no groups at once and ignores a second start', () => {
    const state = workflow([]);
    const events = onRolloutStarted(state, counts({}), NOW) as WorkflowEvent[];
    expect(types(events)).toEqual(['RolloutGroupsCompleted.v1:']);
    const again = onRolloutStarted(
      evolveWorkflow(workflow([1]), {
        type: 'RolloutGroupStarted.v1',
        data: { rolloutId: 1, groupId: 100, index: 1, startedAt: NOW },
      }),
      counts({}),
      NOW,
    );
    expect(again).toEqual({ ignored: 'rollout 1 was already started' });
  });
});
