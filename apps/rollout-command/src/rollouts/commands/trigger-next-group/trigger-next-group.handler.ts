import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { DATABASE_POOL } from '../../../shared/tokens';
import { RolloutRepository } from '../../rollout.repository';
import { StartedGroupsStore } from '../../started-groups.store';

export class TriggerNextGroupCommand {
  constructor(
    readonly rolloutId: number,
    readonly user: string,
    readonly now: number,
  ) {}
}

@CommandHandler(TriggerNextGroupCommand)
export class TriggerNextGroupHandler implements ICommandHandler<TriggerNextGroupCommand, void> {
  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    private readonly rollouts: RolloutRepository,
    private readonly startedGroups: StartedGroupsStore,
  ) {}

  async execute({ rolloutId, user, now }: TriggerNextGroupCommand): Promise<void> {
    const started = await this.startedGroups.count(this.pool, rolloutId);
    await this.rollouts.handle(
      rolloutId,
      (state) => ({
        type: 'TriggerNextGroup',
        data: { rolloutId, triggeredAt: now, triggeredBy: user },
        scheduledGroupExists: state.kind === 'present' && started < state.groupCount,
      }),
      { actor: user },
    );
  }
}
