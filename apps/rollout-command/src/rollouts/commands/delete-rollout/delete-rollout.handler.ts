import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { withTransaction } from '@fleetwave/platform';
import { DATABASE_POOL } from '../../../shared/tokens';
import { CreationProgressStore } from '../../processes/creation-progress.store';
import { RolloutMembersStore } from '../../processes/rollout-members.store';
import { RolloutRepository } from '../../rollout.repository';
import { RolloutNamesStore } from '../../rollout-names.store';
import { StartedGroupsStore } from '../../started-groups.store';

export class DeleteRolloutCommand {
  constructor(
    readonly rolloutId: number,
    readonly user: string,
    readonly now: number,
  ) {}
}

/**
 * Deletes a rollout: one that never started is removed, with its creation ended, its name free
 * again and its rows gone; a started one is soft-deleted through deleting. The creation's row is
 * locked first, as for stop.
 */
@CommandHandler(DeleteRolloutCommand)
export class DeleteRolloutHandler implements ICommandHandler<DeleteRolloutCommand, void> {
  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    private readonly rollouts: RolloutRepository,
    private readonly progress: CreationProgressStore,
    private readonly startedGroups: StartedGroupsStore,
    private readonly names: RolloutNamesStore,
  ) {}

  async execute({ rolloutId, user, now }: DeleteRolloutCommand): Promise<void> {
    await withTransaction(this.pool, async (tx) => {
      await this.progress.lock(tx, rolloutId);
      const { after } = await this.rollouts.decide(
        rolloutId,
        { type: 'DeleteRollout', data: { rolloutId, requestedAt: now, requestedBy: user } },
        { actor: user },
        tx,
      );
      if (after.kind !== 'removed') return;
      await this.progress.end(tx, rolloutId);
      await this.startedGroups.forget(tx, rolloutId);
      await this.names.free(tx, rolloutId);
      // It never had actions: its members must not keep older dynamic rollouts from these targets.
      await new RolloutMembersStore(this.progress.schema).remove(tx, rolloutId);
    });
  }
}
