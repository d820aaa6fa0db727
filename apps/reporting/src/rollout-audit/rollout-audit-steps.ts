import { isEvent } from '@fleetwave/contracts';
import type { Envelope } from '@fleetwave/service-kit';

/** What an event of rollout.events.v1 says, as an audit step. */
export interface RolloutAuditStep {
  rolloutId: number;
  /** The state it leaves the rollout in; null: as it was (an update, a triggered group). */
  to: string | null;
  /** Its own time; null for an event that carries none. */
  at: number | null;
  by?: string;
  reason: string;
  /** Set for a step about one group (a dynamic group joining the chain). */
  groupId?: number;
}

const remarked = (sentence: string, remark: string | undefined): string =>
  remark ? `${sentence}: "${remark}"` : sentence;

const pauseSentence = (
  cause: 'MANUAL' | 'ERROR_CONDITION' | 'SUCCESS_ACTION',
  by: string,
  group: string | undefined,
): string => {
  if (cause === 'ERROR_CONDITION') return `${group ?? 'a group'}: error condition held → rollout paused`;
  if (cause === 'SUCCESS_ACTION') return `${group ?? 'a group'}: success action PAUSE → rollout paused`;
  return `paused by ${by}`;
};

/** The audit step of a rollout lifecycle event; undefined for any other event. */
export function rolloutStep(message: Envelope, nameOf: (groupId: number) => string): RolloutAuditStep | undefined {
  if (isEvent(message, 'RolloutCreated.v1')) {
    const { rolloutId, createdAt, createdBy, groups, targetFilterQuery, dynamic } = message.data;
    const kind = dynamic ? `dynamic rollout (groups of ${dynamic.targetCount})` : 'rollout';
    return {
      rolloutId,
      to: 'creating',
      at: createdAt,
      by: createdBy,
      reason: `${kind} created by ${createdBy} with ${groups.length} groups for "${targetFilterQuery}"`,
    };
  }
  if (isEvent(message, 'RolloutGroupAdded.v1')) {
    const { rolloutId, group, addedAt } = message.data;
    const capacity = group.dynamic ? `, up to ${group.dynamic.capacity} targets` : '';
    return {
      rolloutId,
      to: 'scheduled',
      at: addedAt,
      groupId: group.groupId,
      reason: `${nameOf(group.groupId)} "${group.name}" added to the chain${capacity}`,
    };
  }
  if (isEvent(message, 'RolloutReady.v1')) {
    const { rolloutId, totalTargets, groups } = message.data;
    return { rolloutId, to: 'ready', at: null, reason: `ready: ${totalTargets} targets in ${groups.length} groups` };
  }
  if (isEvent(message, 'RolloutApprovalRequested.v1')) {
    const { rolloutId, requestedAt } = message.data;
    return { rolloutId, to: 'waiting_for_approval', at: requestedAt, reason: 'waiting for approval' };
  }
  if (isEvent(message, 'RolloutApproved.v1')) {
    const { rolloutId, approvedAt, approvedBy, remark } = message.data;
    return {
      rolloutId,
      to: 'ready',
      at: approvedAt,
      by: approvedBy,
      reason: remarked(`approved by ${approvedBy}`, remark),
    };
  }
  if (isEvent(message, 'RolloutDenied.v1')) {
    const { rolloutId, deniedAt, deniedBy, remark } = message.data;
    return {
      rolloutId,
      to: 'approval_denied',
      at: deniedAt,
      by: deniedBy,
      reason: remarked(`denied by ${deniedBy}`, remark),
    };
  }
  if (isEvent(message, 'RolloutStarted.v1')) {
    const { rolloutId, startedAt, startedBy } = message.data;
    return { rolloutId, to: 'running', at: startedAt, by: startedBy, reason: `started by ${startedBy}` };
  }
  if (isEvent(message, 'RolloutPaused.v1')) {
    const { rolloutId, pausedAt, pausedBy, cause, groupId } = message.data;
    const group = groupId === undefined ? undefined : nameOf(groupId);
    return { rolloutId, to: 'paused', at: pausedAt, by: pausedBy, reason: pauseSentence(cause, pausedBy, group) };
  }
  if (isEvent(message, 'RolloutResumed.v1')) {
    const { rolloutId, resumedAt, resumedBy } = message.data;
    return { rolloutId, to: 'running', at: resumedAt, by: resumedBy, reason: `resumed by ${resumedBy}` };
  }
  if (isEvent(message, 'RolloutNextGroupTriggered.v1')) {
    const { rolloutId, triggeredAt, triggeredBy } = message.data;
    return { rolloutId, to: null, at: triggeredAt, by: triggeredBy, reason: `next group triggered by ${triggeredBy}` };
  }
  if (isEvent(message, 'RolloutUpdated.v1')) {
    const { rolloutId, name, updatedAt, updatedBy } = message.data;
    return { rolloutId, to: null, at: updatedAt, by: updatedBy, reason: `renamed to "${name}" by ${updatedBy}` };
  }
  if (isEvent(message, 'RolloutStopping.v1')) {
    const { rolloutId, requestedAt, requestedBy } = message.data;
    return { rolloutId, to: 'stopping', at: requestedAt, by: requestedBy, reason: `stop requested by ${requestedBy}` };
  }
  if (isEvent(message, 'RolloutStopped.v1')) {
    const { rolloutId, stoppedAt } = message.data;
    return { rolloutId, to: 'stopped', at: stoppedAt, reason: 'stopped: no action is active any more' };
  }
  if (isEvent(message, 'RolloutDeleting.v1')) {
    const { rolloutId, requestedAt, requestedBy } = message.data;
    return {
      rolloutId,
      to: 'deleting',
      at: requestedAt,
      by: requestedBy,
      reason: `delete requested by ${requestedBy}`,
    };
  }
  if (isEvent(message, 'RolloutDeleted.v1')) {
    const { rolloutId, deletedAt } = message.data;
    return { rolloutId, to: 'deleted', at: deletedAt, reason: 'deleted: every action is final' };
  }
  if (isEvent(message, 'RolloutFinished.v1')) {
    const { rolloutId, finishedAt } = message.data;
    return { rolloutId, to: 'finished', at: finishedAt, reason: 'finished: every group is done' };
  }
  return undefined;
}
