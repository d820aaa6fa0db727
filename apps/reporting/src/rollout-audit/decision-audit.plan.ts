import { isEvent, type IntegrationEventType } from '@fleetwave/contracts';
import type { BatchItem } from '@fleetwave/messaging';
import type { Envelope } from '@fleetwave/service-kit';
import { groupName, type AuditFigures } from './audit-reasons';
import { groupEventStep } from './group-audit-steps';
import { rolloutStep } from './rollout-audit-steps';

/** Rank of an event among events of the same millisecond: its place in the causal chain. */
const ranks: Partial<Record<IntegrationEventType, number>> = {
  'RolloutCreated.v1': 0,
  'RolloutReady.v1': 1,
  'RolloutApprovalRequested.v1': 2,
  'RolloutApproved.v1': 3,
  'RolloutDenied.v1': 3,
  'RolloutGroupAdded.v1': 4,
  'RolloutStarted.v1': 4,
  'RolloutResumed.v1': 4,
  'RolloutNextGroupTriggered.v1': 4,
  'RolloutUpdated.v1': 4,
  'RolloutStopping.v1': 4,
  'RolloutDeleting.v1': 4,
  'RolloutGroupStarted.v1': 5,
  'RolloutGroupFailed.v1': 6,
  'RolloutGroupFinished.v1': 6,
  'RolloutPauseRequested.v1': 7,
  'RolloutPaused.v1': 8,
  'RolloutFinished.v1': 9,
  'RolloutStopped.v1': 9,
  'RolloutDeleted.v1': 9,
};

/** The event types the decision audit has an effect for (RolloutRemoved forgets the rollout). */
export const auditedEventTypes = [...Object.keys(ranks), 'RolloutRemoved.v1'] as IntegrationEventType[];

/** One row of the audit: a state change of a rollout or group, or a decision that kept the state. */
export interface AuditEntry {
  eventId: string;
  rolloutId: number;
  at: number;
  rank: number;
  seq: number;
  subject: 'rollout' | 'group';
  groupId: number | null;
  from: string | null;
  to: string;
  eventType: string;
  causationId: string | null;
  correlationId: string | null;
  actor: string | null;
  reason: string;
  figures: AuditFigures | null;
}

export interface AuditRolloutState {
  state: string | null;
  lastAt: number | null;
  removed: boolean;
}

export interface AuditGroupState {
  rolloutId: number;
  index: number | null;
  state: string | null;
}

/** What the fold starts from: the stored state of the rollouts and groups the batch names. */
export interface AuditState {
  rollouts: Map<number, AuditRolloutState>;
  groups: Map<number, AuditGroupState>;
}

export interface AuditPlan {
  entries: AuditEntry[];
  /** Rollouts whose state the batch's rollout events changed, as they stand after it. */
  rollouts: Map<number, AuditRolloutState>;
  groups: Map<number, AuditGroupState>;
  removed: number[];
  ignored: string[];
}

/** The rollouts and groups whose stored state the fold of this batch reads. */
export function auditSubjects(items: BatchItem<Envelope>[]): { rollouts: number[]; groups: number[] } {
  const rollouts = new Set<number>();
  const groups = new Set<number>();
  for (const { message } of items) {
    const data = message.data as { rolloutId?: unknown; groupId?: unknown; reason?: { groupId?: unknown } };
    if (typeof data.rolloutId === 'number') rollouts.add(data.rolloutId);
    if (typeof data.groupId === 'number') groups.add(data.groupId);
    if (typeof data.reason?.groupId === 'number') groups.add(data.reason.groupId);
  }
  const sorted = (ids: Set<number>) => [...ids].sort((a, b) => a - b);
  return { rollouts: sorted(rollouts), groups: sorted(groups) };
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/**
 * Folds a batch, in order, into audit entries and the states they leave. A rollout event's
 * `from` is the state its previous event left the rollout in; a group event's, the state the
 * group's previous event left it in (`scheduled` before its first).
 */
export function planAudit(items: BatchItem<Envelope>[], stored: AuditState): AuditPlan {
  const rollouts = new Map<number, AuditRolloutState>();
  const groups = new Map<number, AuditGroupState>();
  const removed = new Set<number>();
  const entries: AuditEntry[] = [];
  const ignored: string[] = [];
  const rolloutOf = (id: number): AuditRolloutState =>
    rollouts.get(id) ?? { ...(stored.rollouts.get(id) ?? { state: null, lastAt: null, removed: false }) };
  const groupOf = (id: number, rolloutId: number): AuditGroupState =>
    groups.get(id) ?? { ...(stored.groups.get(id) ?? { rolloutId, index: null, state: null }) };
  const nameOf = (groupId: number): string => {
    const index = (groups.get(groupId) ?? stored.groups.get(groupId))?.index;
    return groupName(index ?? undefined, groupId);
  };

  for (const item of items) {
    const { message, context } = item;
    const metadata = message.metadata ?? {};
    const base = {
      eventId: context.messageId,
      rank: ranks[message.type as IntegrationEventType] ?? 10,
      seq: Number(context.offset),
      eventType: message.type,
      causationId: text(metadata.causationId) ?? text(context.cloudEvent?.causationId),
      correlationId: text(metadata.correlationId) ?? text(context.cloudEvent?.correlationId),
    };
    const actorOf = (by?: string) => text(by) ?? text(metadata.actor);
    const ceTime = context.cloudEvent?.time ? Date.parse(context.cloudEvent.time) : NaN;

    if (isEvent(message, 'RolloutRemoved.v1')) {
      const id = message.data.rolloutId;
      removed.add(id);
      rollouts.set(id, { ...rolloutOf(id), removed: true });
      continue;
    }
    if (isEvent(message, 'RolloutCreated.v1') || isEvent(message, 'RolloutGroupAdded.v1')) {
      const rolloutId = message.data.rolloutId;
      const added = isEvent(message, 'RolloutCreated.v1') ? message.data.groups : [message.data.group];
      for (const g of added) groups.set(g.groupId, { ...groupOf(g.groupId, rolloutId), index: g.index });
    }

    const step = rolloutStep(message, nameOf);
    if (step) {
      const rollout = rolloutOf(step.rolloutId);
      const at = step.at ?? (Number.isFinite(ceTime) ? ceTime : (rollout.lastAt ?? 0));
      const to = step.to ?? rollout.state ?? 'creating';
      if (!rollout.removed) {
        entries.push({
          ...base,
          rolloutId: step.rolloutId,
          at,
          subject: step.groupId === undefined ? 'rollout' : 'group',
          groupId: step.groupId ?? null,
          from: step.groupId === undefined ? rollout.state : null,
          to,
          actor: actorOf(step.by),
          reason: step.reason,
          figures: null,
        });
      }
      // A group added to the chain changes no rollout state.
      if (step.groupId === undefined) rollouts.set(step.rolloutId, { ...rollout, state: to, lastAt: at });
      continue;
    }

    const groupStep = groupEventStep(message, nameOf);
    if (!groupStep) {
      ignored.push(context.messageId);
      continue;
    }
    const group = groupOf(groupStep.groupId, groupStep.rolloutId);
    const from = group.state ?? 'scheduled';
    const to = groupStep.to ?? from;
    groups.set(groupStep.groupId, { ...group, index: groupStep.index, state: to });
    if (rolloutOf(groupStep.rolloutId).removed) continue;
    entries.push({
      ...base,
      rolloutId: groupStep.rolloutId,
      at: groupStep.at,
      subject: 'group',
      groupId: groupStep.groupId,
      from,
      to,
      actor: actorOf(groupStep.by),
      reason: groupStep.reason,
      figures: groupStep.figures,
    });
  }
  return { entries, rollouts, groups, removed: [...removed].sort((a, b) => a - b), ignored };
}
