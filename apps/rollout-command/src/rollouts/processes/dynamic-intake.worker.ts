import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { NotificationListener, type SqlExecutor } from '@fleetwave/event-store';
import { isSchemaMissing, withTransaction, WorkLoop } from '@fleetwave/platform';
import type { DynamicIntakeStep, IntakeOutcome } from './dynamic-intake.step';
import type { DynamicIntakeStore } from './dynamic-intake.store';

/** The channel that tells intake workers new targets exist (sent in the creating transaction, delivered on commit). */
export const targetsAddedChannel = (schema: string): string => `${schema}.targets_added`;

/** Wakes every intake worker of the schema once the caller's transaction commits (at once outside one). */
export async function notifyTargetsAdded(db: SqlExecutor, schema: string): Promise<void> {
  await db.query(`select pg_notify($1, '')`, [targetsAddedChannel(schema)]);
}

export interface IntakeWorkerOptions {
  /** The sweep's period: older targets are looked at again this often, and start/resume noticed at the latest. */
  sweepMs?: number;
  /** Rollouts read per page of the pass. */
  page?: number;
  /** Listen for new targets (off in tests that drive passes by hand). */
  listen?: boolean;
  clock?: () => number;
}

/**
 * Drives the intake of every dynamic rollout whose intake is open: a pass runs one short
 * transaction per rollout (see {@link DynamicIntakeStep}); passes follow each other at once while
 * any rollout had more to take, else every `sweepMs` (then including one sweep window of older
 * targets). Woken when targets are created (REST and THING_CREATED notify on commit, across
 * instances) and on start and resume. A failing rollout is logged and skipped; the others go on.
 */
export class DynamicIntakeWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DynamicIntake');
  private readonly loop: WorkLoop;
  private readonly sweepMs: number;
  private readonly page: number;
  private readonly clock: () => number;
  private readonly listener?: NotificationListener;
  private readonly onNotify = () => this.wake();
  private lastSweep = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly pool: pg.Pool,
    private readonly step: DynamicIntakeStep,
    private readonly intakes: DynamicIntakeStore,
    options: IntakeWorkerOptions = {},
  ) {
    this.sweepMs = options.sweepMs ?? 2_000;
    this.page = options.page ?? 100;
    this.clock = options.clock ?? Date.now;
    this.loop = new WorkLoop({
      step: () => this.runPass().then((outcomes) => outcomes.some((o) => o.more)),
      pollMs: this.sweepMs,
      retryDelayMs: this.sweepMs,
      onError: (error) => {
        if (!isSchemaMissing(error)) this.logger.warn(`intake pass failed, retrying: ${describe(error)}`);
      },
    });
    if (options.listen ?? true) {
      this.listener = new NotificationListener(
        () => new pg.Client(pool.options),
        targetsAddedChannel(intakes.schema),
        this.logger,
      );
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    this.loop.start();
    await this.listener?.add(this.onNotify);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener?.remove(this.onNotify);
    await this.loop.stop();
  }

  /** Targets were created or a rollout started or resumed: run a pass now, not at the next sweep. */
  wake(): void {
    this.loop.wake();
  }

  /** One pass over the open intakes; a sweep pass when the last one is `sweepMs` ago. */
  async runPass(): Promise<IntakeOutcome[]> {
    const now = this.clock();
    const sweep = now - this.lastSweep >= this.sweepMs;
    if (sweep) this.lastSweep = now;
    const outcomes: IntakeOutcome[] = [];
    let after = 0;
    for (;;) {
      const ids = await this.intakes.openRollouts(this.pool, after, this.page);
      for (const rolloutId of ids) {
        try {
          const outcome = await withTransaction(this.pool, (tx) => this.step.run(tx, rolloutId, { sweep }));
          if (outcome) outcomes.push(this.report(outcome));
        } catch (error) {
          this.logger.warn(`intake of rollout ${rolloutId} failed, retrying later: ${describe(error)}`);
        }
      }
      if (ids.length < this.page) return outcomes;
      after = ids[ids.length - 1];
    }
  }

  private report(outcome: IntakeOutcome): IntakeOutcome {
    if (outcome.taken > 0 || outcome.groupAdded !== undefined) {
      const added = outcome.groupAdded === undefined ? '' : `; group ${outcome.groupAdded} added`;
      this.logger.log(`rollout ${outcome.rolloutId}: took in ${outcome.taken} targets${added}`);
    } else if (outcome.outcome === 'ended') {
      this.logger.log(`rollout ${outcome.rolloutId}: intake ended`);
    }
    return outcome;
  }
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));
