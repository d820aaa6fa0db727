import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { DATABASE_POOL } from '../../../shared/tokens';
import { SystemConfigStore } from '../../../system/system-config.store';
import { RolloutRepository } from '../../rollout.repository';

export class StartRolloutCommand {
  constructor(
    readonly rolloutId: number,
    readonly user: string,
    readonly now: number,
  ) {}
}

@CommandHandler(StartRolloutCommand)
export class StartRolloutHandler implements ICommandHandler<StartRolloutCommand, void> {
  constructor(
    private readonly rollouts: RolloutRepository,
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    private readonly configs: SystemConfigStore,
  ) {}

  async execute({ rolloutId, user, now }: StartRolloutCommand): Promise<void> {
    // The setting as it is at the start decides for the whole rollout; a later change does not.
    const confirmationFlowEnabled = (await this.configs.get(this.pool, 'user.confirmation.flow.enabled')).value;
    await this.rollouts.handle(
      rolloutId,
      { type: 'StartRollout', data: { rolloutId, startedAt: now, startedBy: user, confirmationFlowEnabled } },
      { actor: user },
    );
  }
}
