import { Logger } from '@nestjs/common';
import { isEvent, isEventOf, type RolloutCreatedV1, type RolloutGroupDefinition } from '@fleetwave/contracts';
import type { SqlExecutor } from '@fleetwave/event-store';
import type { BatchHandler, BatchResult, MessageContext } from '@fleetwave/messaging';
import type { Envelope } from '@fleetwave/service-kit';
import {
  onClosed,
  onGroupAdded,
  onMembersAssigned,
  onNextGroupTriggered,
  onPaused,
  onResumed,
  onRolloutStarted,
  onStopping,
  type Ignored,
  type WorkflowEvent,
} from '../domain/group-workflow';
import type { WorkflowGroupDefinition } from '../domain/group-workflow.events';
import type { GroupWorkflowRepository, WorkflowSession } from '../group-workflow.repository';
import { metadataOf } from './workflow-step';

/** The rollout events the workflow takes as input (the consumer's type filter). */
export const rolloutInputTypes = [
  'RolloutCreated.v1',
  'RolloutGroupMembersAssigned.v1',
  'RolloutGroupAdded.v1',
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

function workflowGroupOf(g: RolloutGroupDefinition): WorkflowGroupDefinition {
  return {
    groupId: g.groupId,
    index: g.index,
    policy: {
      successCondition: g.successCondition,
      successAction: g.successAction,
      errorCondition: g.errorCondition,
      errorAction: g.errorAction,
    },
    ...(g.dynamic ? { capacity: g.dynamic.capacity } : {}),
  };
}

function definedEvent(created: RolloutCreatedV1): WorkflowEvent {
  return {
    type: 'GroupWorkflowDefined.v1',
    data: {
      rolloutId: created.rolloutId,
      actionType: created.actionType,
      ...(created.dynamic ? { dynamic: true } : {}),
      groups: created.groups.map(workflowGroupOf),
    },
  };
}

/** Members counted per rollout and group over consecutive membership chunks of a batch, with their messages. */
type PendingMembers = Map<number, { groups: Map<number, number>; contexts: MessageContext[] }>;

/**
 * Rollout lifecycle in: defines the workflow, records group totals, starts the first group, and
 * carries out pause, resume, triggerNextGroup, stop, delete and close. Few per rollout, so a batch
 * applies them one by one, in order, in one session. Ignored inputs are logged with their reason.
 */
export class RolloutEventsConsumer {
  private readonly logger = new Logger(RolloutEventsConsumer.name);

  constructor(
    private readonly workflows: GroupWorkflowRepository,
    /** Time of the decisions of inputs that carry none (membership chunks). */
    private readonly clock: () => number = Date.now,
  ) {}

  readonly handleBatch: BatchHandler<Envelope> = async (items, { tx }) => {
    const session = this.workflows.session(tx);
    const result: Required<BatchResult> = { rejected: [], ignored: [] };
    const members: PendingMembers = new Map();
    for (const { message, context } of items) {
      if (isEvent(message, 'RolloutGroupMembersAssigned.v1')) {
        const { rolloutId, groupId } = message.data;
        const pending = members.get(rolloutId) ?? { groups: new Map<number, number>(), contexts: [] };
        pending.groups.set(groupId, (pending.groups.get(groupId) ?? 0) + message.data.members.length);
        pending.contexts.push(context);
        members.set(rolloutId, pending);
        continue;
      }
      // Chunks before any other event are applied first, so each input sees the state of Kafka order.
      await this.assignMembers(members, session, result);
      const outcome = await this.apply(message, context, session, tx);
      if (!outcome) continue;
      result.ignored.push(context.messageId);
      this.logger.log(`${message.type} ${context.messageId} ignored: ${outcome.ignored}`);
    }
    await this.assignMembers(members, session, result);
    return result;
  };

  /**
   * The membership chunks collected so far, one step per rollout. Chunks of static groups (the
   * bulk of a large rollout's creation) change nothing and are logged at debug level only.
   */
  private async assignMembers(
    members: PendingMembers,
    session: WorkflowSession,
    result: Required<BatchResult>,
  ): Promise<void> {
    for (const [rolloutId, { groups, contexts }] of members) {
      const assigned = [...groups].map(([groupId, added]) => ({ groupId, added }));
      const cause = contexts[contexts.length - 1];
      const now = this.clock();
      const outcome = await session.step(rolloutId, metadataOf(cause), (state, counts) =>
        onMembersAssigned(state, counts, assigned, now),
      );
      if (!outcome) continue;
      result.ignored.push(...contexts.map((c) => c.messageId));
      this.logger.debug(`${contexts.length} membership chunks of rollout ${rolloutId} ignored: ${outcome.ignored}`);
    }
    members.clear();
  }

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
    if (isEvent(event, 'RolloutGroupAdded.v1')) {
      const { rolloutId, group, addedAt } = event.data;
      // Its counters exist before its first action event, like those of the groups known at ready.
      await tx.query(
        `insert into ${this.workflows.schema}.group_counters (group_id, rollout_id, total) values ($1, $2, 0)
         on conflict (group_id) do nothing`,
        [group.groupId, rolloutId],
      );
      return session.step(rolloutId, metadata, (state, counts) =>
        onGroupAdded(state, counts, workflowGroupOf(group), addedAt),
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
