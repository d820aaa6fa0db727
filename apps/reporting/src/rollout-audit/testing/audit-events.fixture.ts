import type { ErrorCondition, GroupFigures, GroupStartReason, RolloutCondition } from '@fleetwave/contracts';
import { item } from '../../rollout-progress/testing/progress-events.fixture';

const orchestrator = { actor: 'group-orchestrator', correlationId: 'corr-1' };

export const groupStartedBecause = (
  rolloutId: number,
  groupId: number,
  index: number,
  at: number,
  reason: GroupStartReason,
) => item('RolloutGroupStarted.v1', { rolloutId, groupId, index, startedAt: at, reason }, orchestrator);

export const groupFinishedWith = (rolloutId: number, groupId: number, index: number, at: number, f: GroupFigures) =>
  item('RolloutGroupFinished.v1', { rolloutId, groupId, index, finishedAt: at, ...f }, orchestrator);

export const groupFailedWith = (
  rolloutId: number,
  groupId: number,
  index: number,
  at: number,
  f: GroupFigures,
  condition: ErrorCondition,
) => item('RolloutGroupFailed.v1', { rolloutId, groupId, index, failedAt: at, condition, ...f }, orchestrator);

export const pauseRequested = (
  rolloutId: number,
  groupId: number,
  index: number,
  at: number,
  f: GroupFigures,
  cause: 'ERROR_CONDITION' | 'SUCCESS_ACTION',
  condition: ErrorCondition | RolloutCondition,
) =>
  item(
    'RolloutPauseRequested.v1',
    { rolloutId, groupId, index, requestedAt: at, cause, condition, ...f },
    { ...orchestrator, causationId: 'cause-of-pause' },
  );

/** The figures of a group of 100 with these counts. */
export const figures = (finished: number, error = 0, cancelled = 0): GroupFigures => ({
  total: 100,
  finished,
  error,
  cancelled,
});
