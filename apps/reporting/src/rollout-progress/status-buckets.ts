import type { ActionStatus, ActionType } from '@fleetwave/contracts';

export type Bucket = 'scheduled' | 'running' | 'finished' | 'error' | 'cancelled';

/** The `totalTargetsPerStatus` bucket of an action status (downloaded counts as finished for download-only rollouts). */
export function bucketOf(status: ActionStatus, actionType: ActionType): Bucket {
  switch (status) {
    case 'scheduled':
      return 'scheduled';
    case 'finished':
      return 'finished';
    case 'error':
      return 'error';
    case 'canceled':
      return 'cancelled';
    case 'downloaded':
      return actionType === 'downloadonly' ? 'finished' : 'running';
    default:
      return 'running';
  }
}

/** Only `downloaded` lands in a different bucket depending on the rollout's action type. */
export const bucketDependsOnActionType = (status: ActionStatus): boolean => status === 'downloaded';
