import type {
  RolloutApprovedV1,
  RolloutCreatedV1,
  RolloutDeniedV1,
  RolloutGroupAddedV1,
  RolloutNextGroupTriggeredV1,
  RolloutPausedV1,
  RolloutReadyV1,
  RolloutResumedV1,
  RolloutStartedV1,
  RolloutUpdatedV1,
} from '@fleetwave/contracts';
import { RolloutRuleError } from './rollout-rule.error';
import type { PresentRollout, RolloutEvent, RolloutState, RolloutStatus } from './rollout.state';

export * from './rollout.state';

/** The Rollout aggregate as a decider: decide(command, state) → events; evolve (rollout.state.ts) → state. */

/** Who asked for a stop or delete, and when. */
export interface LifecycleRequest {
  rolloutId: number;
  requestedAt: number;
  requestedBy: string;
}

export type RolloutCommand =
  | { type: 'CreateRollout'; data: RolloutCreatedV1 }
  /** Creation is done; `at` stamps the approval request when the rollout needs one. */
  | { type: 'MarkRolloutReady'; data: RolloutReadyV1; at: number }
  | { type: 'ApproveRollout'; data: RolloutApprovedV1 }
  | { type: 'DenyRollout'; data: RolloutDeniedV1 }
  | { type: 'StartRollout'; data: RolloutStartedV1 }
  /** An operator (cause MANUAL) or the group workflow (ERROR_CONDITION, SUCCESS_ACTION). */
  | { type: 'PauseRollout'; data: RolloutPausedV1 }
  | { type: 'ResumeRollout'; data: RolloutResumedV1 }
  /** Whether a group is still scheduled is known outside the stream (the started groups), so it comes in here. */
  | { type: 'TriggerNextGroup'; data: RolloutNextGroupTriggeredV1; scheduledGroupExists: boolean }
  | { type: 'StopRollout'; data: LifecycleRequest }
  | { type: 'DeleteRollout'; data: LifecycleRequest }
  | { type: 'UpdateRollout'; data: RolloutUpdatedV1 }
  /**
   * A retry creates a new rollout over the targets whose action ended in error; how many there
   * are is recorded outside the stream (from action events), so it comes in here.
   */
  | { type: 'RetryRollout'; data: { rolloutId: number }; failedTargets: number }
  /** A dynamic rollout's last group is full: the next one joins the chain (only while running). */
  | { type: 'AddDynamicGroup'; data: RolloutGroupAddedV1 }
  /** The group workflow has no group running or scheduled any more. */
  | { type: 'CompleteRollout'; data: { rolloutId: number; completedAt: number } };

const neverStarted: RolloutStatus[] = ['creating', 'ready', 'waiting_for_approval', 'approval_denied'];

export function decide(command: RolloutCommand, state: RolloutState): RolloutEvent[] {
  if (command.type === 'CreateRollout') {
    if (state.kind !== 'absent') {
      throw new RolloutRuleError('ROLLOUT.ALREADY_EXISTS', `rollout ${state.rolloutId} already exists`);
    }
    return [{ type: 'RolloutCreated.v1', data: command.data }];
  }
  if (state.kind !== 'present') {
    throw new RolloutRuleError('ROLLOUT.NOT_FOUND', `rollout ${command.data.rolloutId} does not exist`);
  }
  return decideFor(command, state);
}

function decideFor(command: Exclude<RolloutCommand, { type: 'CreateRollout' }>, state: PresentRollout): RolloutEvent[] {
  const { status } = state;
  switch (command.type) {
    case 'MarkRolloutReady': {
      requireStatus(status, ['creating'], 'become ready');
      const ready: RolloutEvent = { type: 'RolloutReady.v1', data: command.data };
      if (!state.approvalRequired) return [ready];
      return [
        ready,
        { type: 'RolloutApprovalRequested.v1', data: { rolloutId: state.rolloutId, requestedAt: command.at } },
      ];
    }
    case 'ApproveRollout':
      requireStatus(status, ['waiting_for_approval'], 'be approved');
      return [{ type: 'RolloutApproved.v1', data: command.data }];
    case 'DenyRollout':
      requireStatus(status, ['waiting_for_approval'], 'be denied');
      return [{ type: 'RolloutDenied.v1', data: command.data }];
    case 'StartRollout':
      requireStatus(status, ['ready'], 'be started');
      return [{ type: 'RolloutStarted.v1', data: command.data }];
    case 'PauseRollout':
      requireStatus(status, ['running'], 'be paused');
      return [{ type: 'RolloutPaused.v1', data: command.data }];
    case 'ResumeRollout':
      requireStatus(status, ['paused'], 'be resumed');
      return [{ type: 'RolloutResumed.v1', data: command.data }];
    case 'TriggerNextGroup':
      requireStatus(status, ['running'], 'trigger its next group');
      if (!command.scheduledGroupExists) {
        throw new RolloutRuleError('ROLLOUT.ILLEGAL_STATE', `rollout ${state.rolloutId} has no scheduled group left`);
      }
      return [{ type: 'RolloutNextGroupTriggered.v1', data: command.data }];
    case 'StopRollout':
      return stop(command.data, state);
    case 'DeleteRollout':
      return remove(command.data, state);
    case 'UpdateRollout':
      if (status === 'deleting' || status === 'deleted') refuse(status, 'be updated');
      return [{ type: 'RolloutUpdated.v1', data: command.data }];
    case 'RetryRollout':
      return retry(command.failedTargets, state);
    case 'CompleteRollout':
      return complete(command.data, state);
    case 'AddDynamicGroup':
      requireStatus(status, ['running'], 'take in another dynamic group');
      if (!state.dynamic) {
        throw new RolloutRuleError('ROLLOUT.ILLEGAL_STATE', `rollout ${state.rolloutId} is not dynamic`);
      }
      return [{ type: 'RolloutGroupAdded.v1', data: command.data }];
  }
}

/**
 * Only a finished rollout with failed targets can be retried. The retry is a new rollout (its own
 * stream, created like any other), so nothing is appended to this one.
 */
function retry(failedTargets: number, { rolloutId, status }: PresentRollout): RolloutEvent[] {
  requireStatus(status, ['finished'], 'be retried');
  if (failedTargets <= 0) {
    throw new RolloutRuleError('ROLLOUT.ILLEGAL_STATE', `rollout ${rolloutId} has no failed targets to retry`);
  }
  return [];
}

/** A rollout that never started stops at once; a started one stops once its actions have settled. */
function stop({ rolloutId, requestedAt, requestedBy }: LifecycleRequest, { status }: PresentRollout): RolloutEvent[] {
  if (neverStarted.includes(status))
    return [{ type: 'RolloutStopped.v1', data: { rolloutId, stoppedAt: requestedAt } }];
  requireStatus(status, ['running', 'paused'], 'be stopped');
  return [{ type: 'RolloutStopping.v1', data: { rolloutId, requestedAt, requestedBy } }];
}

/** Hard when it never started (every service forgets it), soft otherwise (its actions are force-cancelled). */
function remove(request: LifecycleRequest, { status, started }: PresentRollout): RolloutEvent[] {
  const { rolloutId, requestedAt, requestedBy } = request;
  if (neverStarted.includes(status) || (status === 'stopped' && !started)) {
    return [{ type: 'RolloutRemoved.v1', data: { rolloutId, removedAt: requestedAt, removedBy: requestedBy } }];
  }
  requireStatus(status, ['running', 'paused', 'stopping', 'stopped', 'finished'], 'be deleted');
  return [{ type: 'RolloutDeleting.v1', data: request }];
}

/**
 * Every group is done: the rollout ends as what it was heading for. A paused rollout finishes
 * too: its groups can complete while a pause was being recorded, and nothing would resume it.
 * A redelivered completion of an ended rollout changes nothing.
 */
function complete({ rolloutId, completedAt }: { rolloutId: number; completedAt: number }, state: PresentRollout) {
  switch (state.status) {
    case 'running':
    case 'paused':
      return [{ type: 'RolloutFinished.v1', data: { rolloutId, finishedAt: completedAt } }] satisfies RolloutEvent[];
    case 'stopping':
      return [{ type: 'RolloutStopped.v1', data: { rolloutId, stoppedAt: completedAt } }] satisfies RolloutEvent[];
    case 'deleting':
      return [{ type: 'RolloutDeleted.v1', data: { rolloutId, deletedAt: completedAt } }] satisfies RolloutEvent[];
    case 'finished':
    case 'stopped':
    case 'deleted':
      return [];
    default:
      return refuse(state.status, 'complete');
  }
}

function requireStatus(actual: RolloutStatus, allowed: RolloutStatus[], what: string): void {
  if (!allowed.includes(actual)) refuse(actual, what);
}

function refuse(actual: RolloutStatus, what: string): never {
  throw new RolloutRuleError('ROLLOUT.ILLEGAL_STATE', `a rollout in state ${actual} cannot ${what}`);
}
