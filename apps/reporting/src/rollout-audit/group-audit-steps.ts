import { isEvent, type ErrorCondition, type RolloutCondition } from '@fleetwave/contracts';
import type { Envelope } from '@fleetwave/service-kit';
import {
  errorClause,
  errorFigures,
  groupName,
  startSentence,
  successClause,
  successFigures,
  type AuditFigures,
} from './audit-reasons';

/** What an event of rollout-group.events.v1 says, as an audit step. */
export interface GroupEventStep {
  rolloutId: number;
  groupId: number;
  index: number;
  at: number;
  /** Null: the event leaves the group's state as it is. */
  to: string | null;
  by?: string;
  reason: string;
  figures: AuditFigures | null;
}

/** The audit step of a group workflow event; undefined for any other event. */
export function groupEventStep(message: Envelope, nameOf: (groupId: number) => string): GroupEventStep | undefined {
  if (isEvent(message, 'RolloutGroupStarted.v1')) {
    const { rolloutId, groupId, index, startedAt, reason } = message.data;
    const sentence = startSentence(reason, groupName(index, groupId), nameOf);
    const by = reason?.kind === 'TRIGGERED' || reason?.kind === 'RESUMED' ? reason.by : undefined;
    return { rolloutId, groupId, index, at: startedAt, to: 'running', by, ...sentence };
  }
  if (isEvent(message, 'RolloutGroupFinished.v1')) {
    const { rolloutId, groupId, index, finishedAt, total, finished, error, cancelled } = message.data;
    const name = groupName(index, groupId);
    return {
      rolloutId,
      groupId,
      index,
      at: finishedAt,
      to: 'finished',
      reason: `${name}: finished ${finished}, error ${error}, cancelled ${cancelled} of ${total} → ${name} finished`,
      figures: { total, finished, error, cancelled },
    };
  }
  if (isEvent(message, 'RolloutGroupFailed.v1')) {
    const { rolloutId, groupId, index, failedAt, condition } = message.data;
    const name = groupName(index, groupId);
    return {
      rolloutId,
      groupId,
      index,
      at: failedAt,
      to: 'error',
      reason: `${name}: ${errorClause(message.data, condition)} → ${name} in error`,
      figures: errorFigures(message.data, condition),
    };
  }
  if (isEvent(message, 'RolloutPauseRequested.v1')) {
    const { rolloutId, groupId, index, requestedAt, cause, condition } = message.data;
    const name = groupName(index, groupId);
    // The cause says which kind of condition it carries.
    const decided =
      cause === 'ERROR_CONDITION'
        ? {
            clause: errorClause(message.data, condition as ErrorCondition),
            figures: errorFigures(message.data, condition as ErrorCondition),
          }
        : {
            clause: `${successClause(message.data, condition as RolloutCondition)}, success action PAUSE`,
            figures: successFigures(message.data, condition as RolloutCondition),
          };
    return {
      rolloutId,
      groupId,
      index,
      at: requestedAt,
      to: null,
      reason: `${name}: ${decided.clause} → rollout paused`,
      figures: decided.figures,
    };
  }
  return undefined;
}
