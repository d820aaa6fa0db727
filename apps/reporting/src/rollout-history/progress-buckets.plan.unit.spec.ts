import { item } from '../rollout-progress/testing/progress-events.fixture';
import { bucketRows, noDeltas, planProgressHistory } from './progress-buckets.plan';
import { estimateCompletion, pointCounts } from './progress-series';
import { movedAt, scheduledAt, T0 } from './testing/history-events.fixture';

describe('progress buckets plan', () => {
  it('folds a batch into net deltas per group and second, and leaves out changes within a bucket', () => {
    const plan = planProgressHistory([
      scheduledAt(1, 11, 5, T0 + 400),
      ...movedAt(1, 11, 3, 'scheduled', 'running', T0 + 900),
      ...movedAt(1, 11, 2, 'running', 'download', T0 + 1_100),
      ...movedAt(1, 11, 1, 'running', 'downloaded', T0 + 1_500),
      item('RolloutStopped.v1', { rolloutId: 1, stoppedAt: T0 + 9_000 }),
      item('RolloutStopped.v1', { rolloutId: 1, stoppedAt: T0 + 9_500 }),
      item('RolloutRemoved.v1', { rolloutId: 2, removedAt: T0, removedBy: 'ann' }),
      item('RolloutStarted.v1', { rolloutId: 1, startedAt: T0, startedBy: 'ann' }),
    ]);
    expect(plan.deltas).toEqual([
      { rolloutId: 1, groupId: 11, at: T0, deltas: { ...noDeltas(), scheduled: 2, running: 3 } },
      { rolloutId: 1, groupId: 11, at: T0 + 1_000, deltas: { ...noDeltas(), running: -1, downloaded: 1 } },
    ]);
    expect(plan.ended).toEqual([{ rolloutId: 1, endedAt: T0 + 9_000 }]);
    expect(plan.removed).toEqual([2]);
    // Two changes within `running`, and the start.
    expect(plan.ignored).toHaveLength(3);
  });

  it('puts deltas of an ended rollout in minute buckets and drops those of a removed one', () => {
    const deltas = planProgressHistory([
      ...movedAt(1, 11, 1, 'running', 'finished', T0 + 1_000),
      ...movedAt(1, 11, 1, 'running', 'finished', T0 + 59_000),
      ...movedAt(2, 21, 1, 'running', 'error', T0 + 1_000),
      ...movedAt(3, 31, 1, 'running', 'error', T0 + 1_000),
    ]).deltas;
    const rows = bucketRows(
      deltas,
      new Map([
        [1, { ended: true, removed: false }],
        [3, { ended: true, removed: true }],
      ]),
    );
    expect(rows.map((r) => [r.rolloutId, r.bucketMs, r.at, r.deltas.finished, r.deltas.error])).toEqual([
      [1, 60_000, T0, 2, 0],
      [2, 1_000, T0 + 1_000, 0, 1],
    ]);
  });

  it('counts downloaded as finished only for a download-only rollout, and notstarted from the total', () => {
    const cumulative = { scheduled: 1, running: 2, downloaded: 3, finished: 4, error: 1, cancelled: 1 };
    expect(pointCounts(cumulative, 20, true)).toEqual({
      running: 2,
      notstarted: 8,
      scheduled: 1,
      cancelled: 1,
      finished: 7,
      error: 1,
    });
    expect(pointCounts(cumulative, 20, false)).toMatchObject({ running: 5, finished: 4, notstarted: 8 });
  });

  it('estimates completion from the rate of final actions over the window, only while running', () => {
    const base = { remaining: 30, finalsInWindow: 10, windowMs: 60_000, now: 1_000_000 };
    expect(estimateCompletion({ ...base, status: 'running' })).toBe(1_000_000 + 180_000);
    expect(estimateCompletion({ ...base, status: 'paused' })).toBeNull();
    expect(estimateCompletion({ ...base, status: 'running', finalsInWindow: 0 })).toBeNull();
    expect(estimateCompletion({ ...base, status: 'running', remaining: 0 })).toBe(1_000_000);
  });
});
