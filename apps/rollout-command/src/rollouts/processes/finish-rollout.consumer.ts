import { Injectable } from '@nestjs/common';
import type { RolloutGroupsCompletedV1 } from '@fleetwave/contracts';
import type { HandlerContext } from '@fleetwave/messaging';
import type { Envelope } from '@fleetwave/service-kit';
import { RolloutRepository } from '../rollout.repository';

/** Reacts to the group workflow: when every group is done, the rollout finishes. */
@Injectable()
export class FinishRolloutConsumer {
  constructor(private readonly rollouts: RolloutRepository) {}

  async handle(event: Envelope, ctx: HandlerContext): Promise<void | 'ignored'> {
    if (event.type !== 'RolloutGroupsCompleted.v1') return 'ignored';
    const { rolloutId, completedAt } = event.data as RolloutGroupsCompletedV1;
    const written = await this.rollouts.handle(
      rolloutId,
      { type: 'FinishRollout', data: { rolloutId, finishedAt: completedAt } },
      { actor: 'group-orchestrator', causationId: ctx.messageId, correlationId: ctx.cloudEvent?.correlationId },
      ctx.tx,
    );
    return written.length === 0 ? 'ignored' : undefined;
  }
}
