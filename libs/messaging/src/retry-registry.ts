import type { RetryingMessage } from './consumer-health';

/**
 * What each partition is retrying right now. A retry that has lasted longer than the bound
 * marks the consumer stuck, so readiness turns red and names the message and the error.
 */
export class RetryRegistry {
  private readonly byPartition = new Map<string, RetryingMessage>();

  constructor(
    private readonly stuckAfterMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a failed attempt; the first failure of a slice starts its clock. */
  failed(entry: Omit<RetryingMessage, 'since'>): RetryingMessage {
    const key = `${entry.topic}:${entry.partition}`;
    const previous = this.byPartition.get(key);
    const since = previous && previous.offset === entry.offset ? previous.since : new Date(this.now());
    const retrying = { ...entry, since };
    this.byPartition.set(key, retrying);
    return retrying;
  }

  /** The partition settled its slice (or was given up: stopped, revoked). */
  settled(topic: string, partition: number): void {
    this.byPartition.delete(`${topic}:${partition}`);
  }

  /** Every retrying partition, oldest first. */
  all(): RetryingMessage[] {
    return [...this.byPartition.values()].sort((a, b) => a.since.getTime() - b.since.getTime());
  }

  /** The oldest retry that has exceeded the bound, if any. */
  stuck(): RetryingMessage | undefined {
    return this.all().find((entry) => this.now() - entry.since.getTime() > this.stuckAfterMs);
  }
}
