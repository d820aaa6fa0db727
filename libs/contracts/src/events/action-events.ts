/** Integration events on `action.events.v1`, written by action-dispatch. Key: rolloutId. */

export const actionStatuses = [
  'scheduled',
  'running',
  'wait_for_confirmation',
  'download',
  'retrieved',
  'downloaded',
  'warning',
  'canceling',
  'cancel_rejected',
  'canceled',
  'finished',
  'error',
] as const;

export type ActionStatus = (typeof actionStatuses)[number];

export const finalActionStatuses: readonly ActionStatus[] = ['finished', 'error', 'canceled'];

/** Scheduled actions were created for a group's members (one event per created chunk). */
export interface ActionsScheduledV1 {
  rolloutId: number;
  groupId: number;
  count: number;
  /** The created actions, one per member (absent in older events, which carried the count only). */
  actions?: ScheduledAction[];
  scheduledAt?: number;
}

export interface ScheduledAction {
  actionId: number;
  targetId: number;
  controllerId: string;
}

export interface ActionStatusChangedV1 {
  actionId: number;
  rolloutId: number;
  groupId: number;
  targetId: number;
  controllerId: string;
  from: ActionStatus;
  to: ActionStatus;
  at: number;
  /** What the device said with the status (`messages`, `code` of UPDATE_ACTION_STATUS), if anything. */
  messages?: string[];
  code?: number;
}

/**
 * A stopping or deleting rollout has no active action left (every one is final): the group
 * workflow finishes its groups, and the rollout becomes stopped or deleted.
 */
export interface RolloutActionsSettledV1 {
  rolloutId: number;
  reason: 'STOPPED' | 'DELETED';
  settledAt: number;
}

export interface ActionEventMap {
  'ActionsScheduled.v1': ActionsScheduledV1;
  'ActionStatusChanged.v1': ActionStatusChangedV1;
  'RolloutActionsSettled.v1': RolloutActionsSettledV1;
}
