import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { isSchemaMissing, withTransaction, WorkLoop, type ReadinessCheck } from '@fleetwave/platform';
import type { DispatchChunkStep, DispatchOutcome } from './dispatch-chunk.step';
import { failingWork, recordFailure, workKey, type WorkItem } from './dispatch-work.queries';
import type { NotificationListener } from '@fleetwave/event-store';

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

/** A piece of work that keeps failing: since when, and the last error. */
interface Failing {
  since: number;
  error: string;
}

/**
 * Creates, activates and cancels actions as a chain of short transactions, one chunk each, claimed from
 * `dispatch_work` with `for update skip locked`, so that no consumer transaction and no chunk
 * holds back the cluster-wide subscription horizon for long, and several instances share the
 * queue. Woken at once by the commit of new work (Postgres notification), otherwise it polls;
 * a restart resumes from the cursors the last chunks committed.
 */
export class DispatchWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ActionDispatch');
  private readonly maxRetryMs: number;
  private readonly stuckAfterMs: number;
  private readonly onChunk: (outcome: DispatchOutcome) => void;
  private readonly failing = new Map<string, Failing>();
  private readonly loop: WorkLoop;

  constructor(
    private readonly pool: Pool,
    private readonly step: DispatchChunkStep,
    private readonly schema: string,
    private readonly listener?: NotificationListener,
    options: DispatchWorkerOptions = {},
  ) {
    this.loop = new WorkLoop({
      step: () => this.nextStep(),
      pollMs: options.pollMs ?? 1_000,
      retryDelayMs: options.retryDelayMs ?? 200,
      onError: (error) => {
        // Before the dispatch migration has run (start-up), the table or schema is not there yet.
        if (!isSchemaMissing(error)) this.logger.warn(`dispatch chunk failed, retrying: ${describe(error)}`);
      },
    });
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
    if (this.loop.isRunning) return;
    void this.listener?.add(this.onNotification);
    this.loop.start();
  }

  /** Stops after the chunk in flight commits or rolls back. */
  async stop(): Promise<void> {
    await this.loop.stop();
    await this.listener?.remove(this.onNotification);
  }

  private readonly onNotification = (): void => this.wake();

  /** New work was committed (or the caller knows of some): look now, not at the next poll. */
  wake(): void {
    this.loop.wake();
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
      check: () => this.loop.isRunning && this.isHealthy(),
      details: () => ({
        running: this.loop.isRunning,
        failing: [...this.failing].map(([work, f]) => ({
          work,
          since: new Date(f.since).toISOString(),
          error: f.error,
        })),
      }),
    };
  }

  /** One step of the loop: a chunk, or (nothing pending) a look at which failures recovered. */
  private async nextStep(): Promise<boolean> {
    if (await this.runOnce()) return true;
    await this.forgetRecovered();
    return false;
  }

  private succeeded(outcome: DispatchOutcome): void {
    this.failing.delete(workKey(outcome.groupId, outcome.kind));
    this.onChunk(outcome);
    if (outcome.done) {
      const what = { create: 'created', activate: 'activated', cancel: 'cancelled' }[outcome.kind];
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
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));
