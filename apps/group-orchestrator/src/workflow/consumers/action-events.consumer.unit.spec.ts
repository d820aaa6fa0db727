import type { ActionStatus } from '@fleetwave/contracts';
import { statusChange } from '../testing/orchestrator.fixture';
import { movesWorkflow } from './action-events.consumer';

describe('movesWorkflow: which action events the orchestrator takes into a transaction', () => {
  const moves = (from: ActionStatus, to: ActionStatus) => movesWorkflow(statusChange(1, 2, from, to));

  it('takes changes that reach a final status or enter or leave downloaded', () => {
    expect(moves('running', 'finished')).toBe(true);
    expect(moves('download', 'error')).toBe(true);
    expect(moves('canceling', 'canceled')).toBe(true);
    expect(moves('scheduled', 'canceled')).toBe(true);
    expect(moves('download', 'downloaded')).toBe(true);
    expect(moves('downloaded', 'finished')).toBe(true);
  });

  it('leaves out activations, progress and changes away from a final status', () => {
    expect(moves('scheduled', 'running')).toBe(false);
    expect(moves('running', 'retrieved')).toBe(false);
    expect(moves('retrieved', 'download')).toBe(false);
    expect(moves('running', 'canceling')).toBe(false);
    expect(moves('canceling', 'running')).toBe(false);
    expect(moves('finished', 'finished')).toBe(false);
  });

  it('takes every other action event (settlement)', () => {
    expect(
      movesWorkflow({ type: 'RolloutActionsSettled.v1', data: { rolloutId: 1, reason: 'STOPPED', settledAt: 0 } }),
    ).toBe(true);
  });
});
