import type { EachBatchPayload } from 'kafkajs';
import { sleep } from './backoff';

/** The parts of a kafkajs batch that tell whether processing may go on. */
export type BatchControls = Pick<EachBatchPayload, 'heartbeat' | 'isRunning' | 'isStale'>;

/**
 * Waits `delayMs` in heartbeat-sized slices, so that a long backoff does not get the member
 * evicted from its group. Returns false as soon as the wait is pointless: the consumer is
 * stopping or the partition was taken away (the message will be fetched again by its owner).
 */
export async function waitWithHeartbeats(
  delayMs: number,
  heartbeatIntervalMs: number,
  controls: BatchControls,
  stopSignal: AbortSignal,
): Promise<boolean> {
  const until = Date.now() + delayMs;
  const abandoned = (): boolean => stopSignal.aborted || !controls.isRunning() || controls.isStale();
  while (!abandoned()) {
    const remaining = until - Date.now();
    if (remaining <= 0) return true;
    await sleep(Math.min(remaining, heartbeatIntervalMs), stopSignal);
    // Throws when the group rebalances; kafkajs then rejoins and the message is fetched again.
    if (!abandoned()) await controls.heartbeat();
  }
  return false;
}

/**
 * Runs `work` while heartbeating every `intervalMs`: kafkajs heartbeats only when asked, and a
 * slice applied in one transaction may take longer than the (short) session timeout. A failed
 * heartbeat (the group is rebalancing) is left to kafkajs: the batch turns stale, and its
 * offsets are then not resolved by a member that no longer owns the partition.
 */
export async function withHeartbeats<T>(
  intervalMs: number,
  heartbeat: BatchControls['heartbeat'],
  work: () => Promise<T>,
): Promise<T> {
  const timer = setInterval(() => void heartbeat().catch(() => undefined), intervalMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
