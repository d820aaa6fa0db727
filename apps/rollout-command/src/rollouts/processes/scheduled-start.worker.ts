import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import type { SqlExecutor } from '@fleetwave/event-store';
import { isSchemaMissing, withTransaction, WorkLoop } from '@fleetwave/platform';
import { scheduledStartOutcome } from '../domain/scheduled-start';
import type { RolloutRepository } from '../rollout.repository';
import type { SystemConfigStore } from '../../system/system-config.store';
import type { ScheduledStartStore } from './scheduled-start.store';

export interface ScheduledStartOptions {
  /** Look for due starts this often: the timer's resolution. */
  pollMs?: number;
  /** Look again this long after a due rollout was not startable yet (creating, waiting for approval). */
  recheckMs?: number;
  /** Most starts one transaction handles. */
  batch?: number;
  clock?: () => number;
}

/**
 * Starts rollouts whose `startAt` has passed, with the same StartRollout command an operator
 * sends. The timers live in `rollout_scheduled_starts`, written with RolloutCreated, so they
 * survive any crash: on start-up the loop runs at once and starts whatever fell due meanwhile.
 * Each start and the removal of its timer commit together; a start that fails (a concurrent
 * writer) is rolled back alone and retried, then dropped once the rollout is no longer ready.
 */
export class ScheduledStartWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ScheduledStart');
  private readonly loop: WorkLoop;
  private readonly recheckMs: number;
  private readonly batch: number;
  private readonly clock: () => number;

  constructor(
    private readonly pool: Pool,
    private readonly rollouts: RolloutRepository,
    private readonly starts: ScheduledStartStore,
    private readonly configs: SystemConfigStore,
    options: ScheduledStartOptions = {},
  ) {
    this.recheckMs = options.recheckMs ?? 1_000;
    this.batch = options.batch ?? 50;
    this.clock = options.clock ?? Date.now;
    this.loop = new WorkLoop({
      step: async () => (await this.runOnce()) > 0,
      pollMs: options.pollMs ?? 500,
      retryDelayMs: 1_000,
      onError: (error) => {
        if (!isSchemaMissing(error)) this.logger.warn(`scheduled start failed, retrying: ${describe(error)}`);
      },
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** Handles the starts due now in one transaction; returns how many it looked at. */
  async runOnce(): Promise<number> {
    return withTransaction(this.pool, async (tx) => {
      const now = this.clock();
      const due = await this.starts.claimDue(tx, now, this.batch);
      const done: number[] = [];
      const waiting: number[] = [];
      for (const { rolloutId } of due) {
        // One rollout that cannot be handled (a conflicting writer, a bad stream) is retried
        // later on its own instead of holding up the other due starts of the batch.
        await tx.query('savepoint scheduled_start');
        try {
          const outcome = await this.startIfReady(tx, rolloutId, now);
          (outcome === 'wait' ? waiting : done).push(rolloutId);
          await tx.query('release savepoint scheduled_start');
        } catch (error) {
          await tx.query('rollback to savepoint scheduled_start');
          this.logger.warn(`scheduled start of rollout ${rolloutId} failed, retrying: ${describe(error)}`);
          waiting.push(rolloutId);
        }
      }
      await this.starts.remove(tx, done);
      await this.starts.postpone(tx, waiting, now + this.recheckMs);
      return due.length;
    });
  }

  private async startIfReady(tx: SqlExecutor, rolloutId: number, now: number): Promise<'start' | 'wait' | 'drop'> {
    const loaded = await this.rollouts.load(rolloutId);
    const { state } = loaded;
    const outcome = scheduledStartOutcome(state.kind === 'present' ? state.status : 'absent');
    if (outcome === 'start' && state.kind === 'present') {
      const startedBy = state.summary.createdBy;
      // As for an operator's start: the tenant's confirmation flow as it is now decides.
      const confirmationFlowEnabled = (await this.configs.get(tx, 'user.confirmation.flow.enabled')).value;
      await this.rollouts.decide(
        rolloutId,
        { type: 'StartRollout', data: { rolloutId, startedAt: now, startedBy, confirmationFlowEnabled } },
        { actor: startedBy },
        tx,
        loaded,
      );
      this.logger.log(`rollout ${rolloutId} started at its startAt`);
    }
    return outcome;
  }
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));
