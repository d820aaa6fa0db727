import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { withTransaction } from '@fleetwave/platform';
import { DATABASE_POOL } from '../../../shared/tokens';
import type { PresentRollout } from '../../domain/rollout.decider';
import { CreationProgressStore } from '../../processes/creation-progress.store';
import { RolloutNamesStore } from '../../rollout-names.store';
import { RolloutRepository } from '../../rollout.repository';
import { rolloutView } from '../../rollout.view';
import type { UpdateRolloutDto } from '@fleetwave/contracts';

export class UpdateRolloutCommand {
  constructor(
    readonly rolloutId: number,
    readonly body: UpdateRolloutDto,
    readonly user: string,
    readonly now: number,
  ) {}
}

/** Renames and re-describes a rollout; the name stays unique (409 otherwise), as at creation. */
@CommandHandler(UpdateRolloutCommand)
export class UpdateRolloutHandler implements ICommandHandler<UpdateRolloutCommand, Record<string, unknown>> {
  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    private readonly rollouts: RolloutRepository,
    private readonly names: RolloutNamesStore,
    private readonly progress: CreationProgressStore,
  ) {}

  async execute({ rolloutId, body, user, now }: UpdateRolloutCommand) {
    const after = await withTransaction(this.pool, async (tx) => {
      // A creation chunk in flight would append RolloutReady under this decision: wait for it and
      // hold the next one off, so the update is decided on the stream as it is.
      await this.progress.lock(tx, rolloutId);
      const decision = await this.rollouts.decide(
        rolloutId,
        (state) => ({
          type: 'UpdateRollout',
          data: {
            rolloutId,
            name: body.name,
            description: body.description ?? (state.kind === 'present' ? state.description : undefined),
            updatedAt: now,
            updatedBy: user,
          },
        }),
        { actor: user },
        tx,
      );
      // After the append (the store wants it first); a taken name rolls both back.
      await this.names.rename(tx, rolloutId, body.name);
      return decision.after as PresentRollout;
    });
    // Still creating, the total is the one counted at creation.
    const total =
      after.status === 'creating'
        ? ((await this.progress.find(this.pool, rolloutId))?.totalTargets ?? 0)
        : after.totalTargets;
    return rolloutView(after, total, { at: now, by: user });
  }
}
