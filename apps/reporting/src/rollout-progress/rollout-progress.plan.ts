import { isEvent, type ActionType, type IntegrationEventType, type RolloutCreatedV1 } from '@fleetwave/contracts';
import type { BatchItem } from '@fleetwave/messaging';
import type { Envelope } from '@fleetwave/service-kit';
import { Bucket, bucketDependsOnActionType, bucketOf } from './status-buckets';

/** The event types the projection has an effect for; the consumer settles all others without a transaction. */
export const projectedEventTypes: IntegrationEventType[] = [
  'RolloutCreated.v1',
  'RolloutReady.v1',
  'RolloutStarted.v1',
  'RolloutFinished.v1',
  'RolloutGroupStarted.v1',
  'RolloutGroupFinished.v1',
  'ActionsScheduled.v1',
  'ActionStatusChanged.v1',
];

const buckets: readonly Bucket[] = ['scheduled', 'running', 'finished', 'error', 'cancelled'];

/** Lifecycle facts of a rollout learnt in the batch; null where the batch says nothing. */
export interface RolloutChange {
  rolloutId: number;
  totalTargets: number | null;
  readyAt: number | null;
  startedAt: number | null;
  finishedAt: number | null;
}

/** One group's net count deltas and lifecycle facts over the batch. */
export interface GroupChange {
  groupId: number;
  rolloutId: number;
  deltas: Record<Bucket, number>;
  startedAt: number | null;
  finishedAt: number | null;
}

/** A batch folded into one write per table; rows sorted by id so concurrent batches lock in the same order. */
export interface ProgressPlan {
  created: RolloutCreatedV1[];
  rollouts: RolloutChange[];
  groupTotals: { groupId: number; totalTargets: number }[];
  groups: GroupChange[];
  /** Message ids of items with no effect (a status change within one bucket, a type not projected). */
  ignored: string[];
}

/** Rollouts whose action type decides the bucket of some status change in the batch. */
export function rolloutsNeedingActionType(items: BatchItem<Envelope>[]): number[] {
  const ids = new Set<number>();
  for (const { message } of items) {
    if (!isEvent(message, 'ActionStatusChanged.v1')) continue;
    const change = message.data;
    if (bucketDependsOnActionType(change.from) || bucketDependsOnActionType(change.to)) ids.add(change.rolloutId);
  }
  return [...ids];
}

/**
 * Folds a batch into net effects. Every lifecycle event sets a fact of its own (ready, started,
 * finished, totals) and the first value of a fact wins, so the facts commute: applying them per
 * table in one statement gives the same state as applying each event in Kafka order, and
 * re-applying an event changes nothing. Count deltas are sums and commute as well.
 */
export function planProgress(
  items: BatchItem<Envelope>[],
  actionTypes: ReadonlyMap<number, ActionType>,
  now: number,
): ProgressPlan {
  const created: RolloutCreatedV1[] = [];
  const rollouts = new Map<number, RolloutChange>();
  const groupTotals = new Map<number, number>();
  const groups = new Map<number, GroupChange>();
  const ignored: string[] = [];

  const rollout = (rolloutId: number): RolloutChange =>
    upsert(rollouts, rolloutId, () => ({
      rolloutId,
      totalTargets: null,
      readyAt: null,
      startedAt: null,
      finishedAt: null,
    }));
  const group = (groupId: number, rolloutId: number): GroupChange =>
    upsert(groups, groupId, () => ({
      groupId,
      rolloutId,
      deltas: { scheduled: 0, running: 0, finished: 0, error: 0, cancelled: 0 },
      startedAt: null,
      finishedAt: null,
    }));

  for (const { message, context } of items) {
    if (isEvent(message, 'RolloutCreated.v1')) {
      created.push(message.data);
    } else if (isEvent(message, 'RolloutReady.v1')) {
      const ready = message.data;
      const change = rollout(ready.rolloutId);
      change.totalTargets ??= ready.totalTargets;
      change.readyAt ??= now;
      for (const g of ready.groups) if (!groupTotals.has(g.groupId)) groupTotals.set(g.groupId, g.totalTargets);
    } else if (isEvent(message, 'RolloutStarted.v1')) {
      rollout(message.data.rolloutId).startedAt ??= message.data.startedAt;
    } else if (isEvent(message, 'RolloutFinished.v1')) {
      rollout(message.data.rolloutId).finishedAt ??= message.data.finishedAt;
    } else if (isEvent(message, 'RolloutGroupStarted.v1')) {
      const started = message.data;
      group(started.groupId, started.rolloutId).startedAt ??= started.startedAt;
    } else if (isEvent(message, 'RolloutGroupFinished.v1')) {
      const finished = message.data;
      group(finished.groupId, finished.rolloutId).finishedAt ??= finished.finishedAt;
    } else if (isEvent(message, 'ActionsScheduled.v1')) {
      const scheduled = message.data;
      group(scheduled.groupId, scheduled.rolloutId).deltas.scheduled += scheduled.count;
    } else if (isEvent(message, 'ActionStatusChanged.v1')) {
      const change = message.data;
      const type = actionTypes.get(change.rolloutId) ?? 'forced';
      const from = bucketOf(change.from, type);
      const to = bucketOf(change.to, type);
      if (from === to) {
        ignored.push(context.messageId);
        continue;
      }
      const deltas = group(change.groupId, change.rolloutId).deltas;
      deltas[from] -= 1;
      deltas[to] += 1;
    } else {
      ignored.push(context.messageId);
    }
  }

  return {
    created,
    rollouts: [...rollouts.values()].sort((a, b) => a.rolloutId - b.rolloutId),
    groupTotals: [...groupTotals]
      .map(([groupId, totalTargets]) => ({ groupId, totalTargets }))
      .sort((a, b) => a.groupId - b.groupId),
    groups: [...groups.values()].filter(changesSomething).sort((a, b) => a.groupId - b.groupId),
    ignored,
  };
}

/** A group whose deltas cancel out and which learnt no fact needs no write. */
const changesSomething = (g: GroupChange): boolean =>
  g.startedAt !== null || g.finishedAt !== null || buckets.some((b) => g.deltas[b] !== 0);

function upsert<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}
