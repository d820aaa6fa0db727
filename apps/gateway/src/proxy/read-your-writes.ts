/** Where a rollout write left the rollout's stream, as rollout-command answers it. */
export interface WrittenPosition {
  rolloutId: number;
  revision: number;
}

/** The headers rollout-command stamps on a rollout write's answer. */
export const positionHeaders = { rollout: 'x-fleetwave-rollout', revision: 'x-fleetwave-position' } as const;

const count = (value: string | null): number | undefined => {
  const n = Number(value ?? NaN);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
};

/** The position a write answered with; undefined for answers that carry none (not a rollout write). */
export function writtenPosition(headers: Headers): WrittenPosition | undefined {
  const rolloutId = count(headers.get(positionHeaders.rollout));
  const revision = count(headers.get(positionHeaders.revision));
  return rolloutId && revision !== undefined ? { rolloutId, revision } : undefined;
}

/**
 * Waits, bounded, until reporting has projected the rollout's stream up to the written revision:
 * one request that reporting answers when its projection commits that far (it is woken by the
 * commit, not by polling). Resolves whether it was reached; a write is answered either way.
 */
export async function awaitProjected(reportingUrl: string, position: WrittenPosition, timeoutMs: number) {
  const url = `${reportingUrl}/internal/rollouts/${position.rolloutId}/position?atLeast=${position.revision}&timeoutMs=${timeoutMs}`;
  const answer = await fetch(url, { signal: AbortSignal.timeout(timeoutMs + 2_000) }).catch(() => undefined);
  if (!answer?.ok) return false;
  return ((await answer.json().catch(() => ({}))) as { reached?: unknown }).reached === true;
}
