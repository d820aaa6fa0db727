import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
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
  constructor(private readonly rollouts: RolloutRepository) {}

  async execute({ rolloutId, user, now }: StartRolloutCommand): Promise<void> {
    await this.rollouts.handle(
      rolloutId,
      { type: 'StartRollout', data: { rolloutId, startedAt: now, startedBy: user } },
      { actor: user },
    );
  }
}
