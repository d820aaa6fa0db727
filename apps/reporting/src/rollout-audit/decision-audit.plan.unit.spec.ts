import { createdAndReady, item } from '../rollout-progress/testing/progress-events.fixture';
import { percentOf } from './audit-reasons';
import { planAudit, type AuditState } from './decision-audit.plan';
import { figures, groupFailedWith, groupStartedBecause, pauseRequested } from './testing/audit-events.fixture';

const empty = (): AuditState => ({ rollouts: new Map(), groups: new Map() });

describe('decision audit plan', () => {
  it('takes each entry’s from-state from the previous event of its subject, stored or in the batch', () => {
    const stored: AuditState = {
      rollouts: new Map([[1, { state: 'running', lastAt: 5_000, removed: false }]]),
      groups: new Map([[11, { rolloutId: 1, index: 1, state: 'running' }]]),
    };
    const plan = planAudit(
      [
        groupStartedBecause(1, 12, 2, 6_000, {
          kind: 'GROUP_COMPLETE',
          groupId: 11,
          figures: figures(70, 30),
          condition: { condition: 'THRESHOLD', expression: 80 },
        }),
        groupFailedWith(1, 12, 2, 7_000, figures(10, 3), { condition: 'ERROR_COUNT', expression: 2 }),
        pauseRequested(1, 12, 2, 7_000, figures(10, 3), 'ERROR_CONDITION', { condition: 'ERROR_COUNT', expression: 2 }),
        item('RolloutPaused.v1', {
          rolloutId: 1,
          pausedAt: 8_000,
          pausedBy: 'svc',
          cause: 'ERROR_CONDITION',
          groupId: 12,
        }),
      ],
      stored,
    );
    expect(plan.entries.map((e) => [e.subject, e.from, e.to, e.reason])).toEqual([
      ['group', 'scheduled', 'running', 'group 1: complete (100 of 100 final) → started group 2'],
      ['group', 'running', 'error', 'group 2: 3 errors > 2 → group 2 in error'],
      ['group', 'error', 'error', 'group 2: 3 errors > 2 → rollout paused'],
      ['rollout', 'running', 'paused', 'group 2: error condition held → rollout paused'],
    ]);
    expect(plan.rollouts.get(1)).toEqual({ state: 'paused', lastAt: 8_000, removed: false });
    expect(plan.groups.get(12)).toEqual({ rolloutId: 1, index: 2, state: 'error' });
    expect(plan.entries[1].figures).toEqual({
      total: 100,
      finished: 10,
      error: 3,
      cancelled: 0,
      condition: { condition: 'ERROR_COUNT', expression: 2 },
    });
  });

  it('gives an event without a time of its own the time of the one before, and forgets a removed rollout', () => {
    const plan = planAudit(
      [...createdAndReady(7, [1]), item('RolloutRemoved.v1', { rolloutId: 7, removedAt: 2_000, removedBy: 'ann' })],
      empty(),
    );
    expect(plan.entries.map((e) => [e.at, e.to])).toEqual([
      [1_000, 'creating'],
      [1_000, 'ready'],
    ]);
    expect(plan.removed).toEqual([7]);
    const late = planAudit([groupStartedBecause(7, 8, 1, 3_000, { kind: 'ROLLOUT_STARTED' })], {
      rollouts: new Map([[7, { state: 'creating', lastAt: 1_000, removed: true }]]),
      groups: new Map(),
    });
    expect(late.entries).toEqual([]);
  });

  it('never overstates a share', () => {
    expect(percentOf(2, 3)).toBe(66.6);
    expect(percentOf(81, 100)).toBe(81);
    expect(percentOf(0, 0)).toBe(0);
  });
});
