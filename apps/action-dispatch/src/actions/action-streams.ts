import type { ActionStatusChangedV1, EventData } from '@fleetwave/contracts';
import type { EventStore } from '@fleetwave/event-store';

export const actionStream = (actionId: number): string => `action-${actionId}`;
/**
 * Where a group's ActionsScheduled.v1 counts go: one stream per group, so that creation chunks
 * of different groups of a rollout (other workers) never contend for one stream's next revision.
 */
export const groupActionsStream = (rolloutId: number, groupId: number): string => `actions-${rolloutId}-${groupId}`;

/** The expected revision of an action stream whose last revision the actions row mirrors (-1: none yet). */
export const expectedFrom = (revision: number) => (revision < 0 ? ('no_stream' as const) : revision);

export const TENANT = 'DEFAULT';

/** What every action-dispatch handler works with: its store, its schema and its clock. */
export interface DispatchDeps {
  store: EventStore;
  /** Schema of the dispatch tables (the event store may live in the same one). */
  schema: string;
  clock: () => number;
}

export function statusChanged(data: ActionStatusChangedV1): EventData {
  return { type: 'ActionStatusChanged.v1', data };
}
