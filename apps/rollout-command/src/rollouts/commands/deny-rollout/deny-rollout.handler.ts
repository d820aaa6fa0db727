import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { RolloutRepository } from '../../rollout.repository';

export class DenyRolloutCommand {
  constructor(
    readonly rolloutId: number,
    readonly user: string,
    readonly now: number,
    readonly remark?: string,
  ) {}
}

@CommandHandler(DenyRolloutCommand)
export class DenyRolloutHandler implements ICommandHandler<DenyRolloutCommand, void> {
  constructor(private readonly rollouts: RolloutRepository) {}

  async execute({ rolloutId, user, now, remark }: DenyRolloutCommand): Promise<void> {
    await this.rollouts.handle(
      rolloutId,
      { type: 'DenyRollout', data: { rolloutId, deniedAt: now, deniedBy: user, remark } },
      { actor: user },
    );
  }
}
