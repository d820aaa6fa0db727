import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { isSchemaMissing, withTransaction, WorkLoop } from '@fleetwave/platform';
import type { ChunkOutcome, CreationChunkStep } from './creation-chunk.step';
import type { CreationProgressStore } from './creation-progress.store';

export interface CreationWorkerOptions {
  /** Look for pending creations this often when nothing woke the worker (restarts, other instances). */
  pollMs?: number;
  /** Wait after a failed chunk before the next attempt. */
  retryDelayMs?: number;
  /** Log progress every this many chunks of a creation (and always at ready). */
  logEveryChunks?: number;
}

/**
 * Drives rollout creation as a chain of short transactions, one chunk each, claimed from
 * `rollout_creation_progress` with `for update skip locked`.
 *
 * A dedicated loop rather than the store subscription: chunks follow one another without waiting
 * for the subscription's visibility horizon or re-reading the chunk's own events, several
 * instances share pending creations (each row locked by one at a time), and a creation that
 * keeps failing goes to the back of the queue instead of holding up a subscription. A restart
 * loses nothing: the cursor committed with the last chunk, and the loop polls for pending rows.
 */
export class RolloutCreationWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RolloutCreation');
  private readonly logEveryChunks: number;
  private readonly loop: WorkLoop;

  constructor(
    private readonly pool: Pool,
    private readonly step: CreationChunkStep,
    private readonly progress: CreationProgressStore,
    options: CreationWorkerOptions = {},
  ) {
    this.loop = new WorkLoop({
      step: async () => (await this.runOnce()) !== undefined,
      pollMs: options.pollMs ?? 1_000,
      retryDelayMs: options.retryDelayMs ?? 1_000,
      onError: (error) => {
        // Before the inventory migration has run (start-up), the table or schema is not there yet.
        if (!isSchemaMissing(error)) this.logger.warn(`creation chunk failed, retrying: ${describe(error)}`);
      },
    });
    this.logEveryChunks = options.logEveryChunks ?? 20;
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  start(): void {
    this.loop.start();
  }

  /** Stops after the chunk in flight commits or rolls back. */
  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** A creation was registered (or the caller knows of pending work): look now, not at the next poll. */
  wake(): void {
    this.loop.wake();
  }

  /** Works one chunk in its own transaction; undefined when nothing is pending. */
  async runOnce(): Promise<ChunkOutcome | undefined> {
    let claimed: number | undefined;
    try {
      const outcome = await withTransaction(this.pool, (tx) => this.step.run(tx, (id) => (claimed = id)));
      if (outcome) this.report(outcome);
      return outcome;
    } catch (error) {
      if (claimed !== undefined) {
        await this.progress.recordFailure(this.pool, claimed, describe(error)).catch(() => undefined);
      }
      throw error;
    }
  }

  private report(outcome: ChunkOutcome): void {
    const line = `rollout ${outcome.rolloutId}: ${outcome.assigned}/${outcome.totalTargets} targets assigned in ${outcome.chunk} chunks`;
    if (outcome.abandoned) {
      this.logger.log(
        `rollout ${outcome.rolloutId} left creating before it was ready; creation ends at ${outcome.assigned}`,
      );
    } else if (outcome.ready) {
      this.logger.log(`${line}; ready with groups ${outcome.groupTotals?.join('/')}`);
    } else if (outcome.chunk === 1 || outcome.chunk % this.logEveryChunks === 0) {
      this.logger.log(line);
    }
  }
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));
