import type { RecordedEvent } from '@fleetwave/contracts';
import { emptyWorkflow, evolveWorkflow } from './group-workflow';
import { isWorkflowEvent, isWorkflowEventOfType } from './group-workflow.events';

const recorded = (revision: number, type: string, data: unknown): RecordedEvent => ({
  id: `e-${revision}`,
  type,
  data,
  metadata: {},
  streamName: 'groupworkflow-1',
  revision,
  position: BigInt(revision + 1),
  createdAt: new Date(0),
});

const policy = {
  successCondition: { condition: 'THRESHOLD', expression: 50 },
  successAction: { action: 'NEXTGROUP' },
  errorCondition: { condition: 'THRESHOLD', expression: 50 },
  errorAction: { action: 'PAUSE' },
} as const;

describe('group workflow events', () => {
  const stream = [
    recorded(0, 'GroupWorkflowDefined.v1', { rolloutId: 1, groups: [{ groupId: 10, index: 1, policy }] }),
    recorded(1, 'GroupTotalsKnown.v1', { rolloutId: 1, totals: [{ groupId: 10, totalTargets: 4 }] }),
    recorded(2, 'RolloutGroupStarted.v1', { rolloutId: 1, groupId: 10, index: 1, startedAt: 5 }),
  ];

  it('narrows the events of a workflow stream, so that they evolve the workflow without a cast', () => {
    const state = stream.filter(isWorkflowEvent).reduce(evolveWorkflow, emptyWorkflow(1));
    expect(state).toMatchObject({
      defined: true,
      started: true,
      groups: [{ groupId: 10, status: 'running', total: 4 }],
    });
  });

  it('knows every type of its map and no other', () => {
    expect(stream.every(isWorkflowEvent)).toBe(true);
    expect(isWorkflowEvent(recorded(3, 'RolloutGroupsCompleted.v1', { rolloutId: 1, completedAt: 9 }))).toBe(true);
    expect(isWorkflowEvent(recorded(3, 'RolloutGroupFailed.v1', {}))).toBe(true);
    expect(isWorkflowEvent(recorded(3, 'GroupWorkflowSettled.v1', {}))).toBe(true);
    expect(isWorkflowEvent(recorded(3, 'GroupWorkflowDefined.v2', {}))).toBe(false);
    expect(isWorkflowEvent(recorded(3, 'RolloutStarted.v1', {}))).toBe(false);
  });

  it('narrows to one type, typing its data', () => {
    const [, totals] = stream;
    expect(isWorkflowEventOfType(totals, 'GroupTotalsKnown.v1') ? totals.data.totals[0].totalTargets : 0).toBe(4);
    expect(isWorkflowEventOfType(totals, 'GroupWorkflowDefined.v1')).toBe(false);
  });
});
