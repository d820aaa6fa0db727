import { isEvent } from '@fleetwave/contracts';
import type { BatchContext, BatchItem, BatchResult } from '@fleetwave/messaging';
import type { Envelope } from '@fleetwave/service-kit';
import { RolloutRepository } from '../rollout.repository';

/**
 * Reacts to the group workflow: when every group is done, the rollout finishes. Completions are
 * rare (one per rollout), so the batch is worked message by message.
 */
export class FinishRolloutConsumer {
  constructor(private readonly rollouts: RolloutRepository) {}

  async handleBatch(items: BatchItem<Envelope>[], { tx }: BatchContext): Promise<BatchResult> {
    const ignored: string[] = [];
    // The rollout is loaded outside the transaction, so a second completion of the same rollout
    // in this batch would not see the first one's append; it changes nothing anyway.
    const seen = new Set<number>();
    for (const { message, context } of items) {
      if (!isEvent(message, 'RolloutGroupsCompleted.v1')) {
        ignored.push(context.messageId);
        continue;
      }
      const { rolloutId, completedAt } = message.data;
      if (seen.has(rolloutId)) {
        ignored.push(context.messageId);
        continue;
      }
      seen.add(rolloutId);
      const written = await this.rollouts.handle(
        rolloutId,
        { type: 'FinishRollout', data: { rolloutId, finishedAt: completedAt } },
        {
          actor: 'group-orchestrator',
          causationId: context.messageId,
          correlationId: context.cloudEvent?.correlationId,
        },
        tx,
      );
      if (written.length === 0) ignored.push(context.messageId);
    }
    return { ignored };
  }
}
