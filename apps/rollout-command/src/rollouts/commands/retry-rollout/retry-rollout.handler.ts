import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { RolloutRepository } from '../../rollout.repository';

/** Checked against the state only: a finished rollout is refused as not supported yet. */
export class RetryRolloutCommand {
  constructor(
    readonly rolloutId: number,
    readonly user: string,
  ) {}
}

@CommandHandler(RetryRolloutCommand)
export class RetryRolloutHandler implements ICommandHandler<RetryRolloutCommand, void> {
  constructor(private readonly rollouts: RolloutRepository) {}

  async execute({ rolloutId, user }: RetryRolloutCommand): Promise<void> {
    await this.rollouts.handle(rolloutId, { type: 'RetryRollout', data: { rolloutId } }, { actor: user });
  }
}
