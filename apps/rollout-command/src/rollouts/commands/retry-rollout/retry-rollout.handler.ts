import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import type { EventStore } from '@fleetwave/event-store';
import { FieldLengths, isEvent, type RolloutCreatedV1 } from '@fleetwave/contracts';
import { ApplicationError } from '../../../shared/application-error';
import { DATABASE_POOL, EVENT_STORE } from '../../../shared/tokens';
import {
  outcomesComplete,
  RolloutOutcomesStore,
  type RolloutOutcomes,
} from '../../../targets/action-status/rollout-outcomes.store';
import { rolloutStream, RolloutRepository } from '../../rollout.repository';
import { CreateRolloutCommand, CreateRolloutHandler } from '../create-rollout/create-rollout.handler';
import { rolloutVerificationFailed } from '../create-rollout/create-rollout.errors';
import { retryRolloutBody } from './retry-plan';

export class RetryRolloutCommand {
  constructor(
    readonly rolloutId: number,
    readonly user: string,
    readonly now: number,
    /** The caller's permissions as the gateway forwards them (the retry may need approval like any rollout). */
    readonly permissions: readonly string[],
  ) {}
}

/** How long a retry waits for the outcomes of a just-finished rollout to be recorded. */
export interface RetryTiming {
  waitMs: number;
  pollMs: number;
}
export const RETRY_TIMING = Symbol('RETRY_TIMING');
const defaultTiming: RetryTiming = { waitMs: 5_000, pollMs: 100 };

/**
 * Retries a finished rollout: a new rollout `<name>_retry` over the targets whose action ended
 * in error, created by the create command like any rollout (validation, quotas, approval,
 * chunked membership through the retry's target filter). The failed targets are those the
 * action-status consumer recorded; right after the rollout finished their last events may still
 * be on the way, so the retry waits, bounded, until every scheduled action's outcome is in.
 */
@CommandHandler(RetryRolloutCommand)
export class RetryRolloutHandler implements ICommandHandler<RetryRolloutCommand> {
  private readonly timing: RetryTiming;

  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly rollouts: RolloutRepository,
    private readonly outcomes: RolloutOutcomesStore,
    private readonly create: CreateRolloutHandler,
    @Optional() @Inject(RETRY_TIMING) timing?: RetryTiming,
  ) {
    this.timing = timing ?? defaultTiming;
  }

  async execute({ rolloutId, user, now, permissions }: RetryRolloutCommand) {
    const loaded = await this.rollouts.load(rolloutId);
    const { state } = loaded;
    const outcomes =
      state.kind === 'present' && state.status === 'finished'
        ? await this.settledOutcomes(rolloutId)
        : { failedTargets: 0, scheduled: 0, settled: 0 };
    // Refuses every state but finished, and a finished rollout without failures; appends nothing.
    await this.rollouts.decide(
      rolloutId,
      { type: 'RetryRollout', data: { rolloutId }, failedTargets: outcomes.failedTargets },
      { actor: user },
      undefined,
      loaded,
    );
    if (state.kind !== 'present') throw new Error(`rollout ${rolloutId} passed the retry rule without existing`);
    const [first] = await this.store.readStream(rolloutStream(rolloutId), { maxCount: 1 });
    if (!first || !isEvent(first, 'RolloutCreated.v1')) {
      throw new Error(`stream ${rolloutStream(rolloutId)} does not begin with RolloutCreated.v1`);
    }
    const body = retryRolloutBody(first.data as RolloutCreatedV1, state);
    if (body.name.length > FieldLengths.name) {
      throw rolloutVerificationFailed(`the retry's name ${body.name} is longer than ${FieldLengths.name} characters`);
    }
    return this.create.execute(new CreateRolloutCommand(body, user, now, permissions));
  }

  private async settledOutcomes(rolloutId: number): Promise<RolloutOutcomes> {
    const deadline = Date.now() + this.timing.waitMs;
    for (;;) {
      const outcomes = await this.outcomes.read(this.pool, rolloutId);
      if (outcomesComplete(outcomes)) return outcomes;
      if (Date.now() >= deadline) {
        throw new ApplicationError(
          'conflict',
          'ROLLOUT.OUTCOMES_PENDING',
          `the outcomes of rollout ${rolloutId} are still being recorded ` +
            `(${outcomes.settled} of ${outcomes.scheduled} actions); try the retry again shortly`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, this.timing.pollMs));
    }
  }
}
