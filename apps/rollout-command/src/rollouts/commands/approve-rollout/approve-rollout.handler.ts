import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { RolloutRepository } from '../../rollout.repository';

export class ApproveRolloutCommand {
  constructor(
    readonly rolloutId: number,
    readonly user: string,
    readonly now: number,
    readonly remark?: string,
  ) {}
}

@CommandHandler(ApproveRolloutCommand)
export class ApproveRolloutHandler implements ICommandHandler<ApproveRolloutCommand, void> {
  constructor(private readonly rollouts: RolloutRepository) {}

  async execute({ rolloutId, user, now, remark }: ApproveRolloutCommand): Promise<void> {
    await this.rollouts.handle(
      rolloutId,
      { type: 'ApproveRollout', data: { rolloutId, approvedAt: now, approvedBy: user, remark } },
      { actor: user },
    );
  }
}
