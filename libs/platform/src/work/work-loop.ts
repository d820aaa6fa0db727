/** Options of {@link WorkLoop}. */
export interface WorkLoopOptions {
  /** One step of work; resolves true when it did some (the next step follows at once). */
  step: () => Promise<boolean>;
  /** Look for work this often when nothing woke the loop (work left by a crash, a lost wake-up). */
  pollMs: number;
  /** Wait after a failed step before the next one. */
  retryDelayMs: number;
  /** Told of every failed step; must not throw. */
  onError: (error: unknown) => void;
}

/**
 * Runs a chain of short steps in the background: back to back while there is work, then asleep
 * until woken or until the next poll. A failed step is reported and retried after a delay; the
 * loop never ends by itself. Used by services that do long work as a series of short transactions.
 */
export class WorkLoop {
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private woken = false;

  constructor(private readonly options: WorkLoopOptions) {}

  /** Whether the loop is started and not stopping. */
  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.work();
  }

  /** Stops after the step in flight settles. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  /** New work exists: look now, not at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  private async work(): Promise<void> {
    while (this.running) {
      let delay = 0;
      try {
        if (!(await this.options.step())) delay = this.options.pollMs;
      } catch (error) {
        this.options.onError(error);
        delay = this.options.retryDelayMs;
      }
      if (delay > 0 && this.running) await this.sleep(delay);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        this.woken = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }
}
