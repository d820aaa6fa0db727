import { Logger } from '@nestjs/common';
import { isEvent } from '@fleetwave/contracts';
import type { BatchContext, BatchItem, BatchResult } from '@fleetwave/messaging';
import type { Envelope } from '@fleetwave/service-kit';
import { RolloutRuleError } from '../domain/rollout-rule.error';
import type { RolloutCommand } from '../domain/rollout.decider';
import { RolloutRepository } from '../rollout.repository';
import { StartedGroupsStore } from '../started-groups.store';

/** The group workflow's events this consumer takes. */
export const groupEventTypes = ['RolloutPauseRequested.v1', 'RolloutGroupsCompleted.v1', 'RolloutGroupStarted.v1'];

/**
 * Reacts to the group workflow: a pause request pauses a running rollout, the completion of
 * every group ends the rollout as what it was heading for (finished, stopped, deleted), and
 * each group start is recorded (what triggerNextGroup checks). Group starts are recorded for the
 * whole batch at once; pauses and completions are rare (a few per rollout) and are worked in
 * Kafka order through one session, so a rollout's second command sees its first.
 */
export class GroupEventsConsumer {
  private readonly logger = new Logger('GroupEvents');

  constructor(
    private readonly rollouts: RolloutRepository,
    private readonly startedGroups: StartedGroupsStore,
  ) {}

  async handleBatch(items: BatchItem<Envelope>[], { tx }: BatchContext): Promise<BatchResult> {
    const ignored: string[] = [];
    const starts: { rolloutId: number; groupId: number }[] = [];
    const session = this.rollouts.session(tx);
    for (const { message, context } of items) {
      if (isEvent(message, 'RolloutGroupStarted.v1')) {
        starts.push({ rolloutId: message.data.rolloutId, groupId: message.data.groupId });
        continue;
      }
      const command = commandFor(message);
      if (!command) {
        ignored.push(context.messageId);
        continue;
      }
      const metadata = {
        actor: 'group-orchestrator',
        causationId: context.messageId,
        correlationId: context.cloudEvent?.correlationId,
      };
      try {
        const { events } = await session.decide(command.data.rolloutId, command, metadata);
        if (events.length === 0) {
          ignored.push(context.messageId);
          this.logger.log(`${message.type} of rollout ${command.data.rolloutId} ignored: it has already ended`);
        }
      } catch (error) {
        // The rollout moved on (paused already, stopped, removed): the request no longer applies.
        if (!(error instanceof RolloutRuleError)) throw error;
        ignored.push(context.messageId);
        this.logger.log(`${message.type} of rollout ${command.data.rolloutId} ignored: ${error.message}`);
      }
    }
    await this.startedGroups.record(tx, starts);
    return { ignored };
  }
}

function commandFor(message: Envelope): RolloutCommand | undefined {
  if (isEvent(message, 'RolloutPauseRequested.v1')) {
    const { rolloutId, cause, groupId, requestedAt } = message.data;
    return { type: 'PauseRollout', data: { rolloutId, pausedAt: requestedAt, pausedBy: 'system', cause, groupId } };
  }
  if (isEvent(message, 'RolloutGroupsCompleted.v1')) {
    const { rolloutId, completedAt } = message.data;
    return { type: 'CompleteRollout', data: { rolloutId, completedAt } };
  }
  return undefined;
}
