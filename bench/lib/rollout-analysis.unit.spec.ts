import type { GroupView } from '@fleetwave/testing';
import { cascade } from './rollout-analysis';

const group = (id: number, totalTargets: number): GroupView => ({
  id,
  name: `g${id}`,
  status: 'finished',
  totalTargets,
  totalTargetsPerStatus: { running: 0, notstarted: 0, scheduled: 0, cancelled: 0, finished: totalTargets, error: 0 },
});

describe('cascade', () => {
  // Two groups of two actions at a 100% threshold: action 2's report (t=100) crosses group 1.
  const run = { groupViews: [group(1, 2), group(2, 2)], threshold: 100 };
  const reports = [
    { actionId: 1, status: 'RUNNING', at: 10 },
    { actionId: 1, status: 'FINISHED', at: 20 },
    { actionId: 2, status: 'FINISHED', at: 100 },
    { actionId: 2, status: 'FINISHED', at: 150 },
  ];
  const changes = [
    { actionId: 1, groupId: 1, to: 'finished', at: 40 },
    { actionId: 2, groupId: 1, to: 'finished', at: 130 },
  ];
  const instructions = [
    { actionId: 3, groupId: 2, eventId: 'e3', at: 210 },
    { actionId: 4, groupId: 2, eventId: 'e4', at: 205 },
  ];

  it('measures each boundary from the crossing report to the next group first instruction, and splits it by service', () => {
    const starts = [
      { groupId: 1, at: 0 },
      { groupId: 2, at: 170 },
    ];
    expect(cascade(run, instructions, reports, changes, starts)).toEqual({
      cascadeMs: [105],
      cascadeHops: [{ reportToChangeMs: 30, changeToStartMs: 40, startToInstructionMs: 35 }],
    });
  });

  it('keeps the whole boundary when the next group start was not seen, without a split', () => {
    expect(cascade(run, instructions, reports, changes, [])).toEqual({ cascadeMs: [105], cascadeHops: [] });
  });

  it('counts no boundary whose next group sent nothing', () => {
    expect(cascade(run, [], reports, changes, [{ groupId: 2, at: 170 }])).toEqual({ cascadeMs: [], cascadeHops: [] });
  });
});
