import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { sqlState, withTransaction, type ReadinessCheck } from '@fleetwave/platform';
import type { DispatchChunkStep, DispatchOutcome } from './dispatch-chunk.step';
import { failingWork, recordFailure, type WorkItem } from './dispatch-work.queries';
import type { DispatchListener } from './dispatch.listener';

export interface DispatchWorkerOptions {
  /** Look for pending work this often when nothing woke the worker (a crash left some, a lost notification). */
  pollMs?: number;
  /** Wait after a failed chunk before the next attempt (the failed piece itself backs off longer). */
  retryDelayMs?: number;
  /** Upper bound of a failing piece's backoff. */
  maxRetryMs?: number;
  /** A piece failing for longer than this makes the worker unhealthy (readiness goes DOWN). */
  stuckAfterMs?: number;
  /** Told of every committed chunk (metrics, tests); must not throw. */
  onChunk?: (outcome: DispatchOutcome) => void;
}

// Before the dispatch migration has run (start-up), the table or schema is not there yet.
const notMigratedYet = new Set(['42P01', '3F000']);

/** A piece of work that keeps failing: since when, and the last error. */
interface Failing {
  since: number;
  error: string;
}

/**
 * Creates and activates actions as a chain of short transactions, one chunk each, claimed from
 * `dispatch_work` with `for update skip locked`, so that no consumer transaction and no chunk
 * holds back the cluster-wide subscription horizon for long, and several instances share the
 * queue. Woken at once by the commit of new work (Postgres notification), otherwise it polls;
 * a restart resumes from the cursors the last chunks committed.
 */
export class DispatchWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ActionDispatch');
  private readonly pollMs: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryMs: number;
  private readonly stuckAfterMs: number;
  private readonly onChunk: (outcome: DispatchOutcome) => void;
  private readonly failing = new Map<string, Failing>();
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private woken = false;

  constructor(
    private readonly pool: Pool,
    private readonly step: DispatchChunkStep,
    private readonly schema: string,
    private readonly listener?: DispatchListener,
    options: DispatchWorkerOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 1_000;
    this.retryDelayMs = options.retryDelayMs ?? 200;
    this.maxRetryMs = options.maxRetryMs ?? 30_000;
    this.stuckAfterMs = options.stuckAfterMs ?? 60_000;
    this.onChunk = options.onChunk ?? (() => undefined);
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.listener?.start(() => this.wake());
    this.loop = this.work();
  }

  /** Stops after the chunk in flight commits or rolls back. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    await this.listener?.stop();
  }

  /** New work was committed (or the caller knows of some): look now, not at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Works one chunk in its own transaction; undefined when nothing is pending. */
  async runOnce(): Promise<DispatchOutcome | undefined> {
    let claimed: WorkItem | undefined;
    try {
      const outcome = await withTransaction(this.pool, (tx) => this.step.run(tx, (item) => (claimed = item)));
      if (outcome) this.succeeded(outcome);
      return outcome;
    } catch (error) {
      if (claimed) await this.failed(claimed, error);
      throw error;
    }
  }

  /** Healthy unless some piece of work has kept failing for longer than the bound. */
  isHealthy(now = Date.now()): boolean {
    return [...this.failing.values()].every((f) => now - f.since <= this.stuckAfterMs);
  }

  /** Readiness of the worker, with the failing pieces, their errors and since when. */
  readinessCheck(): ReadinessCheck {
    return {
      name: 'dispatch-worker',
      check: () => this.running && this.isHealthy(),
      details: () => ({
        running: this.running,
        failing: [...this.failing].map(([work, f]) => ({
          work,
          since: new Date(f.since).toISOString(),
          error: f.error,
        })),
      }),
    };
  }

  private async work(): Promise<void> {
    while (this.running) {
      let delay = 0;
      try {
        if (!(await this.runOnce())) {
          delay = this.pollMs;
          await this.forgetRecovered();
        }
      } catch (error) {
        if (!notMigratedYet.has(sqlState(error) ?? '')) {
          this.logger.warn(`dispatch chunk failed, retrying: ${describe(error)}`);
        }
        delay = this.retryDelayMs;
      }
      if (delay > 0 && this.running) await this.sleep(delay);
    }
  }

  private succeeded(outcome: DispatchOutcome): void {
    this.failing.delete(workKey(outcome.groupId, outcome.kind));
    this.onChunk(outcome);
    if (outcome.done) {
      const what = outcome.kind === 'create' ? 'created' : 'activated';
      this.logger.log(
        `rollout ${outcome.rolloutId} group ${outcome.groupId}: actions ${what} (${outcome.chunk} chunks)`,
      );
    }
  }

  private async failed(item: WorkItem, error: unknown): Promise<void> {
    const key = workKey(item.group_id, item.kind);
    this.failing.set(key, { since: this.failing.get(key)?.since ?? Date.now(), error: describe(error) });
    await recordFailure(this.pool, this.schema, item, describe(error), this.maxRetryMs).catch(() => undefined);
  }

  /** Drops failures another instance has since got past (or that were done meanwhile). */
  private async forgetRecovered(): Promise<void> {
    if (this.failing.size === 0) return;
    const still = await failingWork(this.pool, this.schema);
    for (const key of this.failing.keys()) if (!still.has(key)) this.failing.delete(key);
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

const workKey = (groupId: string | number, kind: string): string => `group ${groupId} ${kind}`;
const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));
