import { isEvent, type IntegrationEventType, type RolloutCreatedV1 } from '@fleetwave/contracts';
import type { BatchItem } from '@fleetwave/messaging';
import type { Envelope } from '@fleetwave/service-kit';

/** The event types the actions projection has an effect for; the consumer settles the rest unread. */
export const actionsProjectedTypes: IntegrationEventType[] = [
  'RolloutCreated.v1',
  'RolloutUpdated.v1',
  'RolloutGroupAdded.v1',
  'RolloutRemoved.v1',
  'ActionsScheduled.v1',
  'ActionStatusChanged.v1',
];

/** What the read model shows of a rollout on its actions. */
export interface ActionRollout {
  rolloutId: number;
  name: string;
  actionType: string;
  weight: number;
  forceTime: number | null;
  distributionSetId: number;
  distributionSetName: string;
  distributionSetVersion: string;
  createdBy: string;
}

/** An action as its scheduling event tells it: history entry 0. */
export interface ScheduledActionRow {
  actionId: number;
  rolloutId: number;
  groupId: number;
  targetId: number;
  controllerId: string;
  at: number;
  reportedAt: number;
}

/** One status change, `ord` its position in the batch (the history order within an action). */
export interface StatusChangeRow {
  ord: number;
  actionId: number;
  rolloutId: number;
  groupId: number;
  targetId: number;
  controllerId: string;
  status: string;
  messages: string[];
  code: number | null;
  occurredAt: number;
  reportedAt: number;
}

/** A batch folded into one write per table. */
export interface ActionsPlan {
  rollouts: ActionRollout[];
  /** The batch's last name of each rollout it renamed. */
  renamed: { rolloutId: number; name: string }[];
  groups: { groupId: number; rolloutId: number; name: string }[];
  removed: number[];
  scheduled: ScheduledActionRow[];
  changes: StatusChangeRow[];
  /** Message ids of items with no effect (a scheduling event of the count-only kind). */
  ignored: string[];
}

/** When the event was recorded (the CloudEvents time), else the time the event itself names. */
function recordedAt(item: BatchItem<Envelope>, fallback: number): number {
  const time = item.context.cloudEvent?.time;
  const parsed = time === undefined ? NaN : Date.parse(time);
  return Number.isFinite(parsed) ? parsed : fallback;
}

const rolloutOf = (r: RolloutCreatedV1): ActionRollout => ({
  rolloutId: r.rolloutId,
  name: r.name,
  actionType: r.actionType,
  weight: r.weight,
  forceTime: r.forceTime ?? null,
  distributionSetId: r.distributionSet.id,
  distributionSetName: r.distributionSet.name,
  distributionSetVersion: r.distributionSet.version,
  createdBy: r.createdBy,
});

/**
 * Folds a batch, in Kafka order, into the rows to write. Status changes keep their order (the
 * writer numbers them per action after what is stored); everything else is a fact whose first
 * value wins, except a rollout's name, whose last value in the batch wins, as applied one by one.
 */
export function planActions(items: BatchItem<Envelope>[]): ActionsPlan {
  const plan: ActionsPlan = {
    rollouts: [],
    renamed: [],
    groups: [],
    removed: [],
    scheduled: [],
    changes: [],
    ignored: [],
  };
  const renamed = new Map<number, string>();
  for (const item of items) {
    const { message } = item;
    if (isEvent(message, 'RolloutCreated.v1')) {
      plan.rollouts.push(rolloutOf(message.data));
      const { rolloutId, groups } = message.data;
      plan.groups.push(...groups.map((g) => ({ groupId: g.groupId, rolloutId, name: g.name })));
    } else if (isEvent(message, 'RolloutUpdated.v1')) {
      renamed.set(message.data.rolloutId, message.data.name);
    } else if (isEvent(message, 'RolloutGroupAdded.v1')) {
      const { rolloutId, group } = message.data;
      plan.groups.push({ groupId: group.groupId, rolloutId, name: group.name });
    } else if (isEvent(message, 'RolloutRemoved.v1')) {
      plan.removed.push(message.data.rolloutId);
    } else if (isEvent(message, 'ActionsScheduled.v1')) {
      const { rolloutId, groupId, actions, scheduledAt } = message.data;
      if (!actions || actions.length === 0) {
        plan.ignored.push(item.context.messageId);
        continue;
      }
      const reportedAt = recordedAt(item, scheduledAt ?? 0);
      const at = scheduledAt ?? reportedAt;
      plan.scheduled.push(...actions.map((a) => ({ ...a, rolloutId, groupId, at, reportedAt })));
    } else if (isEvent(message, 'ActionStatusChanged.v1')) {
      const c = message.data;
      plan.changes.push({
        ord: plan.changes.length,
        actionId: c.actionId,
        rolloutId: c.rolloutId,
        groupId: c.groupId,
        targetId: c.targetId,
        controllerId: c.controllerId,
        status: c.to,
        messages: c.messages ?? [],
        code: c.code ?? null,
        occurredAt: c.at,
        reportedAt: recordedAt(item, c.at),
      });
    } else {
      plan.ignored.push(item.context.messageId);
    }
  }
  plan.renamed = [...renamed].map(([rolloutId, name]) => ({ rolloutId, name }));
  return plan;
}
