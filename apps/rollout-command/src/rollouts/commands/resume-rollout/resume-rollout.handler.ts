import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { RolloutRepository } from '../../rollout.repository';

export class ResumeRolloutCommand {
  constructor(
    readonly rolloutId: number,
    readonly user: string,
    readonly now: number,
  ) {}
}

@CommandHandler(ResumeRolloutCommand)
export class ResumeRolloutHandler implements ICommandHandler<ResumeRolloutCommand, void> {
  constructor(private readonly rollouts: RolloutRepository) {}

  async execute({ rolloutId, user, now }: ResumeRolloutCommand): Promise<void> {
    await this.rollouts.handle(
      rolloutId,
      { type: 'ResumeRollout', data: { rolloutId, resumedAt: now, resumedBy: user } },
      { actor: user },
    );
  }
}
