import type { EventStore } from '@fleetwave/event-store';

export const actionStream = (actionId: number): string => `action-${actionId}`;
/**
 * Where a group's ActionsScheduled.v1 counts go: one stream per group, so that creation chunks
 * of different groups of a rollout (other workers) never contend for one stream's next revision.
 */
export const groupActionsStream = (rolloutId: number, groupId: number): string => `actions-${rolloutId}-${groupId}`;

/** How a started rollout ends, as RolloutActionsSettled.v1 names it. */
export type RolloutEnding = 'STOPPED' | 'DELETED';

/**
 * Where a rollout's RolloutActionsSettled.v1 for one ending goes, appended at `no_stream`: the
 * stream exists only once it holds its one event, so no redelivery or restart can append twice.
 * A stopped rollout deleted later settles again, as DELETED, in a stream of its own.
 */
export const settledStream = (rolloutId: number, ending: RolloutEnding): string =>
  `actions-${rolloutId}-settled-${ending.toLowerCase()}`;

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
