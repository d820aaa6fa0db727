import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { RolloutRepository } from '../../rollout.repository';

/** An operator's pause; the group workflow's pause requests arrive through the group-events consumer. */
export class PauseRolloutCommand {
  constructor(
    readonly rolloutId: number,
    readonly user: string,
    readonly now: number,
  ) {}
}

@CommandHandler(PauseRolloutCommand)
export class PauseRolloutHandler implements ICommandHandler<PauseRolloutCommand, void> {
  constructor(private readonly rollouts: RolloutRepository) {}

  async execute({ rolloutId, user, now }: PauseRolloutCommand): Promise<void> {
    await this.rollouts.handle(
      rolloutId,
      { type: 'PauseRollout', data: { rolloutId, pausedAt: now, pausedBy: user, cause: 'MANUAL' } },
      { actor: user },
    );
  }
}
