import { Logger } from '@nestjs/common';
import { isEvent, isEventOf, type RolloutCreatedV1 } from '@fleetwave/contracts';
import type { SqlExecutor } from '@fleetwave/event-store';
import type { BatchHandler, BatchResult, MessageContext } from '@fleetwave/messaging';
import type { Envelope } from '@fleetwave/service-kit';
import {
  onClosed,
  onNextGroupTriggered,
  onPaused,
  onResumed,
  onRolloutStarted,
  onStopping,
  type Ignored,
  type WorkflowEvent,
} from '../domain/group-workflow';
import type { GroupWorkflowRepository, WorkflowSession } from '../group-workflow.repository';
import { metadataOf } from './workflow-step';

/** The rollout events the workflow takes as input (the consumer's type filter). */
export const rolloutInputTypes = [
  'RolloutCreated.v1',
  'RolloutReady.v1',
  'RolloutStarted.v1',
  'RolloutPaused.v1',
  'RolloutResumed.v1',
  'RolloutNextGroupTriggered.v1',
  'RolloutStopping.v1',
  'RolloutStopped.v1',
  'RolloutDeleting.v1',
  'RolloutRemoved.v1',
] as const;

function definedEvent(created: RolloutCreatedV1): WorkflowEvent {
  return {
    type: 'GroupWorkflowDefined.v1',
    data: {
      rolloutId: created.rolloutId,
      actionType: created.actionType,
      groups: created.groups.map((g) => ({
        groupId: g.groupId,
        index: g.index,
        policy: {
          successCondition: g.successCondition,
          successAction: g.successAction,
          errorCondition: g.errorCondition,
          errorAction: g.errorAction,
        },
      })),
    },
  };
}

/**
 * Rollout lifecycle in: defines the workflow, records group totals, starts the first group, and
 * carries out pause, resume, triggerNextGroup, stop, delete and close. Few per rollout, so a batch
 * applies them one by one, in order, in one session. Ignored inputs are logged with their reason.
 */
export class RolloutEventsConsumer {
  private readonly logger = new Logger(RolloutEventsConsumer.name);

  constructor(private readonly workflows: GroupWorkflowRepository) {}

  readonly handleBatch: BatchHandler<Envelope> = async (items, { tx }) => {
    const session = this.workflows.session(tx);
    const result: Required<BatchResult> = { rejected: [], ignored: [] };
    for (const { message, context } of items) {
      const outcome = await this.apply(message, context, session, tx);
      if (!outcome) continue;
      result.ignored.push(context.messageId);
      this.logger.log(`${message.type} ${context.messageId} ignored: ${outcome.ignored}`);
    }
    return result;
  };

  private async apply(
    event: Envelope,
    context: MessageContext,
    session: WorkflowSession,
    tx: SqlExecutor,
  ): Promise<Ignored | void> {
    const metadata = metadataOf(context);
    if (isEvent(event, 'RolloutCreated.v1')) {
      const defined = definedEvent(event.data);
      return session.step(event.data.rolloutId, metadata, (state) =>
        state.defined ? { ignored: 'workflow already defined' } : [defined],
      );
    }
    if (isEvent(event, 'RolloutReady.v1')) {
      const ready = event.data;
      await tx.query(
        `insert into ${this.workflows.schema}.group_counters (group_id, rollout_id, total)
           select g, $1, t from unnest($2::bigint[], $3::int[]) as x(g, t) on conflict (group_id) do nothing`,
        [ready.rolloutId, ready.groups.map((g) => g.groupId), ready.groups.map((g) => g.totalTargets)],
      );
      return session.step(ready.rolloutId, metadata, (state) =>
        state.closed
          ? { ignored: 'workflow closed' }
          : state.sized
            ? { ignored: 'group totals already known' }
            : [{ type: 'GroupTotalsKnown.v1', data: { rolloutId: ready.rolloutId, totals: ready.groups } }],
      );
    }
    if (isEvent(event, 'RolloutStarted.v1')) {
      const { rolloutId, startedAt } = event.data;
      return session.step(rolloutId, metadata, (state, counts) => onRolloutStarted(state, counts, startedAt));
    }
    if (isEvent(event, 'RolloutPaused.v1')) {
      const paused = event.data;
      return session.step(paused.rolloutId, metadata, (state) => onPaused(state, paused));
    }
    if (isEvent(event, 'RolloutResumed.v1')) {
      const resumed = event.data;
      return session.step(resumed.rolloutId, metadata, (state, counts) => onResumed(state, counts, resumed));
    }
    if (isEvent(event, 'RolloutNextGroupTriggered.v1')) {
      const triggered = event.data;
      return session.step(triggered.rolloutId, metadata, (state, counts) =>
        onNextGroupTriggered(state, counts, triggered),
      );
    }
    if (isEventOf(event, ['RolloutStopping.v1', 'RolloutDeleting.v1'])) {
      const { rolloutId, requestedAt, requestedBy } = event.data;
      const reason = event.type === 'RolloutStopping.v1' ? 'STOPPED' : 'DELETED';
      return session.step(rolloutId, metadata, (state, counts) =>
        onStopping(state, counts, { rolloutId, reason, requestedAt, requestedBy }),
      );
    }
    const close = isEvent(event, 'RolloutStopped.v1')
      ? { rolloutId: event.data.rolloutId, reason: 'STOPPED' as const, closedAt: event.data.stoppedAt }
      : isEvent(event, 'RolloutRemoved.v1')
        ? { rolloutId: event.data.rolloutId, reason: 'REMOVED' as const, closedAt: event.data.removedAt }
        : undefined;
    if (close) {
      const outcome = await session.step(close.rolloutId, metadata, (state) => onClosed(state, close));
      if (outcome) return outcome;
      // A closed workflow never counts again: its counters go.
      await tx.query(`delete from ${this.workflows.schema}.group_counters where rollout_id = $1`, [close.rolloutId]);
      return;
    }
    return { ignored: `not a workflow input` };
  }
}
