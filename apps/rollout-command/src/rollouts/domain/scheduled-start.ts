import type { RolloutStatus } from './rollout.state';

/**
 * What a due `startAt` does to a rollout in a given state: a ready rollout starts; one still
 * creating or waiting for approval starts once it is ready (it is looked at again later); any
 * other state (started by hand, stopped, denied, removed) ends the scheduled start.
 */
export function scheduledStartOutcome(status: RolloutStatus | 'absent'): 'start' | 'wait' | 'drop' {
  if (status === 'ready') return 'start';
  if (status === 'creating' || status === 'waiting_for_approval') return 'wait';
  return 'drop';
}
