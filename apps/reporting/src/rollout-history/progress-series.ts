import type { BucketDeltas } from './progress-buckets.plan';

/** `totalTargetsPerStatus` of one point of a series: the counts as they stood at the end of its bucket. */
export interface PointCounts {
  running: number;
  notstarted: number;
  scheduled: number;
  cancelled: number;
  finished: number;
  error: number;
}

/** One point of `GET /rollouts/{id}/progress`: `group` is set for a group's series. */
export interface ProgressPoint {
  at: number;
  group?: number;
  counts: PointCounts;
}

/** The response of `GET /rollouts/{id}/progress`. */
export interface ProgressSeries {
  rolloutId: number;
  /** Width of each point's bucket: 1 while the rollout runs, 60 once it has ended, or as asked. */
  bucketSeconds: number;
  series: ProgressPoint[];
}

/**
 * The counts of cumulative deltas: `downloaded` is finished for a download-only rollout and
 * running otherwise (as in `totalTargetsPerStatus`); notstarted = total − actions.
 */
export function pointCounts(cumulative: BucketDeltas, totalTargets: number, downloadOnly: boolean): PointCounts {
  const finished = cumulative.finished + (downloadOnly ? cumulative.downloaded : 0);
  const running = cumulative.running + (downloadOnly ? 0 : cumulative.downloaded);
  const actions = cumulative.scheduled + running + finished + cumulative.error + cumulative.cancelled;
  return {
    running,
    notstarted: Math.max(0, totalTargets - actions),
    scheduled: cumulative.scheduled,
    cancelled: cumulative.cancelled,
    finished,
    error: cumulative.error,
  };
}

/** How far back the rate of actions reaching a final state is observed. */
export const estimateWindowMs = 5 * 60_000;

/**
 * When a running rollout should be done at the rate its actions reached a final state over the
 * observed window: null when it is not running or nothing became final in the window; `now`
 * when nothing is left.
 */
export function estimateCompletion(input: {
  status: string;
  remaining: number;
  finalsInWindow: number;
  windowMs: number;
  now: number;
}): number | null {
  const { status, remaining, finalsInWindow, windowMs, now } = input;
  if (status !== 'running') return null;
  if (remaining <= 0) return now;
  if (finalsInWindow <= 0 || windowMs <= 0) return null;
  return Math.round(now + (remaining * windowMs) / finalsInWindow);
}
