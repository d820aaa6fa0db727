import { rolloutStatuses } from './rollout.state';
import { scheduledStartOutcome } from './scheduled-start';

describe('scheduledStartOutcome', () => {
  it('starts a ready rollout, waits for one creating or waiting for approval, and drops the timer otherwise', () => {
    const outcomes = Object.fromEntries(
      [...rolloutStatuses, 'absent' as const].map((s) => [s, scheduledStartOutcome(s)]),
    );
    expect(outcomes).toEqual({
      creating: 'wait',
      ready: 'start',
      waiting_for_approval: 'wait',
      approval_denied: 'drop',
      running: 'drop',
      paused: 'drop',
      stopping: 'drop',
      stopped: 'drop',
      finished: 'drop',
      deleting: 'drop',
      deleted: 'drop',
      absent: 'drop',
    });
  });
});
