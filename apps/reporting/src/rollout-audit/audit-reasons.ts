import type { ErrorCondition, GroupFigures, GroupStartReason, RolloutCondition } from '@fleetwave/contracts';

/** The figures behind a decision, as stored with its audit entry. */
export interface AuditFigures extends GroupFigures {
  /** The percentage the condition was compared with (finished or error share of the total). */
  percent?: number;
  condition?: RolloutCondition | ErrorCondition;
}

/** A share of the total in percent, cut (not rounded) to one decimal so that it never overstates. */
export function percentOf(part: number, total: number): number {
  return total === 0 ? 0 : Math.floor((part * 1_000) / total) / 10;
}

/** How a group is named in a sentence: its position in the chain when known. */
export const groupName = (index: number | undefined, groupId: number): string =>
  index === undefined ? `group (id ${groupId})` : `group ${index}`;

/** "finished 81% ≥ 80%": the success condition with the share it held with. */
export function successClause(figures: GroupFigures, condition: RolloutCondition): string {
  return `finished ${percentOf(figures.finished, figures.total)}% ≥ ${condition.expression}%`;
}

/** "error 25% > 20%" or "5 errors > 3": the error condition with the figure that broke it. */
export function errorClause(figures: GroupFigures, condition: ErrorCondition): string {
  return condition.condition === 'ERROR_COUNT'
    ? `${figures.error} errors > ${condition.expression}`
    : `error ${percentOf(figures.error, figures.total)}% > ${condition.expression}%`;
}

/** Figures of an error decision: the percentage is the error share. */
export function errorFigures(figures: GroupFigures, condition: ErrorCondition): AuditFigures {
  const { total, finished, error, cancelled } = figures;
  return condition.condition === 'ERROR_COUNT'
    ? { total, finished, error, cancelled, condition }
    : { total, finished, error, cancelled, percent: percentOf(error, total), condition };
}

/** Figures of a success decision: the percentage is the finished share. */
export function successFigures(figures: GroupFigures, condition: RolloutCondition): AuditFigures {
  const { total, finished, error, cancelled } = figures;
  return { total, finished, error, cancelled, percent: percentOf(finished, total), condition };
}

/** Why a group started, as a sentence ending in "→ started group N"; with the figures when a condition decided. */
export function startSentence(
  reason: GroupStartReason | undefined,
  started: string,
  sourceName: (groupId: number) => string,
): { reason: string; figures: AuditFigures | null } {
  const outcome = `→ started ${started}`;
  if (!reason) return { reason: `${started} started`, figures: null };
  switch (reason.kind) {
    case 'ROLLOUT_STARTED':
      return { reason: `rollout started ${outcome}`, figures: null };
    case 'SUCCESS_CONDITION':
      return {
        reason: `${sourceName(reason.groupId)}: ${successClause(reason.figures, reason.condition)} ${outcome}`,
        figures: successFigures(reason.figures, reason.condition),
      };
    case 'GROUP_COMPLETE': {
      const { finished, error, cancelled, total } = reason.figures;
      return {
        reason: `${sourceName(reason.groupId)}: complete (${finished + error + cancelled} of ${total} final) ${outcome}`,
        figures: successFigures(reason.figures, reason.condition),
      };
    }
    case 'TRIGGERED':
      return { reason: `triggered by ${reason.by} ${outcome}`, figures: null };
    case 'RESUMED':
      return { reason: `rollout resumed by ${reason.by} ${outcome}`, figures: null };
  }
}
