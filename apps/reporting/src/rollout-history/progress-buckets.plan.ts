import { isEvent, type ActionStatus, type IntegrationEventType } from '@fleetwave/contracts';
import type { BatchItem } from '@fleetwave/messaging';
import type { Envelope } from '@fleetwave/service-kit';

/** The event types the progress-over-time projection has an effect for. */
export const progressHistoryEventTypes: IntegrationEventType[] = [
  'ActionsScheduled.v1',
  'ActionStatusChanged.v1',
  'RolloutFinished.v1',
  'RolloutStopped.v1',
  'RolloutDeleted.v1',
  'RolloutRemoved.v1',
];

/** Resolution of the buckets while a rollout runs, and once it has ended. */
export const SECOND_MS = 1_000;
export const MINUTE_MS = 60_000;

/** Status buckets as stored: `downloaded` apart, since its meaning depends on the action type. */
export const storedBuckets = ['scheduled', 'running', 'downloaded', 'finished', 'error', 'cancelled'] as const;
export type StoredBucket = (typeof storedBuckets)[number];
export type BucketDeltas = Record<StoredBucket, number>;

export const noDeltas = (): BucketDeltas => ({
  scheduled: 0,
  running: 0,
  downloaded: 0,
  finished: 0,
  error: 0,
  cancelled: 0,
});

/** The stored bucket of an action status (SPEC's totalTargetsPerStatus keys, `downloaded` kept apart). */
export function storedBucketOf(status: ActionStatus): StoredBucket {
  switch (status) {
    case 'scheduled':
      return 'scheduled';
    case 'downloaded':
      return 'downloaded';
    case 'finished':
      return 'finished';
    case 'error':
      return 'error';
    case 'canceled':
      return 'cancelled';
    default:
      return 'running';
  }
}

/** Net change of one group's buckets within one second. */
export interface SecondDelta {
  rolloutId: number;
  groupId: number;
  /** Start of the second, epoch ms. */
  at: number;
  deltas: BucketDeltas;
}

/** A batch folded into per-second deltas and the rollouts that ended or were removed in it. */
export interface ProgressHistoryPlan {
  deltas: SecondDelta[];
  ended: { rolloutId: number; endedAt: number }[];
  removed: number[];
  /** Message ids with no effect (a change within one bucket, an event without a time). */
  ignored: string[];
}

/** The time of an event that carries none in its data: the CloudEvents `time` the store stamped. */
function eventTime(item: BatchItem<Envelope>): number | undefined {
  const time = item.context.cloudEvent?.time;
  const parsed = time === undefined ? NaN : Date.parse(time);
  return Number.isFinite(parsed) ? parsed : undefined;
}

const floorTo = (at: number, bucketMs: number): number => at - (((at % bucketMs) + bucketMs) % bucketMs);

/** Folds a batch; the result depends on the items only, so a replay folds to the same rows. */
export function planProgressHistory(items: BatchItem<Envelope>[]): ProgressHistoryPlan {
  const deltas = new Map<string, SecondDelta>();
  const ended = new Map<number, number>();
  const removed = new Set<number>();
  const ignored: string[] = [];
  const delta = (rolloutId: number, groupId: number, at: number): BucketDeltas => {
    const second = floorTo(at, SECOND_MS);
    const key = `${rolloutId}:${groupId}:${second}`;
    let entry = deltas.get(key);
    if (!entry) {
      entry = { rolloutId, groupId, at: second, deltas: noDeltas() };
      deltas.set(key, entry);
    }
    return entry.deltas;
  };

  for (const item of items) {
    const { message } = item;
    if (isEvent(message, 'ActionsScheduled.v1')) {
      const at = message.data.scheduledAt ?? eventTime(item);
      if (at === undefined || message.data.count === 0) {
        ignored.push(item.context.messageId);
        continue;
      }
      delta(message.data.rolloutId, message.data.groupId, at).scheduled += message.data.count;
    } else if (isEvent(message, 'ActionStatusChanged.v1')) {
      const change = message.data;
      const from = storedBucketOf(change.from);
      const to = storedBucketOf(change.to);
      if (from === to) {
        ignored.push(item.context.messageId);
        continue;
      }
      const d = delta(change.rolloutId, change.groupId, change.at);
      d[from] -= 1;
      d[to] += 1;
    } else if (isEvent(message, 'RolloutFinished.v1')) {
      endAt(ended, message.data.rolloutId, message.data.finishedAt);
    } else if (isEvent(message, 'RolloutStopped.v1')) {
      endAt(ended, message.data.rolloutId, message.data.stoppedAt);
    } else if (isEvent(message, 'RolloutDeleted.v1')) {
      endAt(ended, message.data.rolloutId, message.data.deletedAt);
    } else if (isEvent(message, 'RolloutRemoved.v1')) {
      removed.add(message.data.rolloutId);
    } else {
      ignored.push(item.context.messageId);
    }
  }

  const byKey = <T extends { rolloutId: number }>(a: T, b: T) => a.rolloutId - b.rolloutId;
  return {
    deltas: [...deltas.values()].filter((d) => storedBuckets.some((b) => d.deltas[b] !== 0)),
    ended: [...ended].map(([rolloutId, endedAt]) => ({ rolloutId, endedAt })).sort(byKey),
    removed: [...removed].sort((a, b) => a - b),
    ignored,
  };
}

function endAt(ended: Map<number, number>, rolloutId: number, at: number): void {
  if (!ended.has(rolloutId)) ended.set(rolloutId, at);
}

/** What the stored state of a rollout says about its deltas: dropped, per minute, or per second. */
export interface RolloutResolution {
  ended: boolean;
  removed: boolean;
}

/** Row of `progress_buckets` to add to. */
export interface BucketRow extends SecondDelta {
  bucketMs: number;
}

/**
 * Puts each second's deltas into the bucket of its rollout's resolution (a rollout known to have
 * ended takes minute buckets; a removed one takes none) and adds up deltas that meet in one row.
 * Rows are sorted by key, so concurrent batches lock rows in the same order.
 */
export function bucketRows(deltas: SecondDelta[], resolution: ReadonlyMap<number, RolloutResolution>): BucketRow[] {
  const rows = new Map<string, BucketRow>();
  for (const d of deltas) {
    const state = resolution.get(d.rolloutId);
    if (state?.removed) continue;
    const bucketMs = state?.ended ? MINUTE_MS : SECOND_MS;
    const at = floorTo(d.at, bucketMs);
    const key = `${d.rolloutId}:${d.groupId}:${at}`;
    let row = rows.get(key);
    if (!row) {
      row = { rolloutId: d.rolloutId, groupId: d.groupId, at, bucketMs, deltas: noDeltas() };
      rows.set(key, row);
    }
    for (const b of storedBuckets) row.deltas[b] += d.deltas[b];
  }
  return [...rows.values()].sort((a, b) => a.rolloutId - b.rolloutId || a.groupId - b.groupId || a.at - b.at);
}
