/** Small statistics over samples: percentiles by nearest rank, rates, rounding. */

/** The p-th percentile (0..100) by nearest rank; undefined for no samples. */
export function percentile(samples: number[], p: number): number | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Events per second over a window in milliseconds. */
export const perSecond = (count: number, ms: number): number => (ms > 0 ? count / (ms / 1000) : 0);

export const round = (value: number | undefined, digits = 0): number | undefined =>
  value === undefined || !Number.isFinite(value) ? undefined : Number(value.toFixed(digits));

/** Wall-clock milliseconds of an async piece of work, and its result. */
export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
}
