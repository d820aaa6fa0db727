/** Exponential backoff whose delay grows by `factor` per attempt and never exceeds `maxDelayMs`. */
export interface BackoffPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  factor: number;
}

export const defaultBackoff: BackoffPolicy = { initialDelayMs: 200, maxDelayMs: 30_000, factor: 2 };

/**
 * Delay before retry number `attempt` (1-based), with ±20 % jitter so that instances that
 * failed together (say, when Postgres restarted) do not retry in lockstep.
 */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const exponential = policy.initialDelayMs * policy.factor ** Math.max(0, attempt - 1);
  const capped = Math.min(policy.maxDelayMs, exponential);
  return Math.round(capped * (0.8 + 0.4 * random()));
}

/** Resolves after `ms`, or early when the signal aborts; never rejects. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
