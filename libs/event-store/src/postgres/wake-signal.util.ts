/**
 * Lets a polling loop sleep until either its timeout or a wake-up. A wake-up that arrives while
 * the loop is busy is remembered, so a notification is never lost between two waits.
 */
export class WakeSignal {
  private pending = false;
  private closed = false;
  private waiter?: { release: () => void; wakeable: boolean };

  get isClosed(): boolean {
    return this.closed;
  }

  /** Wakes the current wakeable wait, or the next one. */
  wake(): void {
    this.pending = true;
    if (this.waiter?.wakeable) this.waiter.release();
  }

  /** Forgets earlier wake-ups: the caller is about to look anyway. */
  clear(): void {
    this.pending = false;
  }

  /** Ends the current wait and makes every later one return at once. */
  close(): void {
    this.closed = true;
    this.waiter?.release();
  }

  /** Waits `ms`; a wake-up cuts the wait short unless `wakeable` is false (error backoff). */
  wait(ms: number, wakeable = true): Promise<void> {
    if (this.closed || (wakeable && this.pending)) return Promise.resolve();
    return new Promise((resolve) => {
      const release = (): void => {
        clearTimeout(timer);
        this.waiter = undefined;
        resolve();
      };
      const timer = setTimeout(release, ms);
      this.waiter = { release, wakeable };
    });
  }
}
