import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { withTransaction } from '@fleetwave/platform';
import { DATABASE_POOL } from '../../../shared/tokens';
import { CreationProgressStore } from '../../processes/creation-progress.store';
import { RolloutRepository } from '../../rollout.repository';

export class StopRolloutCommand {
  constructor(
    readonly rolloutId: number,
    readonly user: string,
    readonly now: number,
  ) {}
}

/**
 * Stops a rollout; one still creating stops at once, and its creation ends in the same
 * transaction. The creation's row is locked first, so a chunk in flight commits before the
 * rollout is loaded and no chunk starts after it.
 */
@CommandHandler(StopRolloutCommand)
export class StopRolloutHandler implements ICommandHandler<StopRolloutCommand, void> {
  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    private readonly rollouts: RolloutRepository,
    private readonly progress: CreationProgressStore,
  ) {}

  async execute({ rolloutId, user, now }: StopRolloutCommand): Promise<void> {
    await withTransaction(this.pool, async (tx) => {
      await this.progress.lock(tx, rolloutId);
      const { before } = await this.rollouts.decide(
        rolloutId,
        { type: 'StopRollout', data: { rolloutId, requestedAt: now, requestedBy: user } },
        { actor: user },
        tx,
      );
      if (before.kind === 'present' && before.status === 'creating') await this.progress.end(tx, rolloutId);
    });
  }
}
