/** Options of {@link eventually}. */
export interface EventuallyOptions {
  timeoutMs?: number;
  intervalMs?: number;
  description?: string;
}

/**
 * Polls `probe` until it returns without throwing, bounded by `timeoutMs`, then rethrows the last
 * failure prefixed with the description. Kept in this library so that its tests depend on no
 * other project's test helpers.
 */
export async function eventually<T>(probe: () => Promise<T> | T, options: EventuallyOptions = {}): Promise<T> {
  const { timeoutMs = 30_000, intervalMs = 100, description = 'condition' } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await probe();
    } catch (error) {
      if (Date.now() >= deadline) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`${description} did not hold within ${timeoutMs} ms: ${reason}`);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
