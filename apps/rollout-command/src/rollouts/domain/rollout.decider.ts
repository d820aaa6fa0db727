import type {
  EventData,
  RolloutCreatedV1,
  RolloutFinishedV1,
  RolloutReadyV1,
  RolloutStartedV1,
} from '@fleetwave/contracts';
import { RolloutRuleError } from './rollout-rule.error';

/** The Rollout aggregate as a decider: decide(command, state) → events; evolve(state, event) → state. */

export type RolloutStatus = 'creating' | 'ready' | 'running' | 'finished';

export type RolloutState =
  | { kind: 'absent' }
  | { kind: 'present'; rolloutId: number; name: string; status: RolloutStatus; totalTargets: number };

export const initialRolloutState: RolloutState = { kind: 'absent' };

export type RolloutEvent =
  | EventData<'RolloutCreated.v1', RolloutCreatedV1>
  | EventData<'RolloutReady.v1', RolloutReadyV1>
  | EventData<'RolloutStarted.v1', RolloutStartedV1>
  | EventData<'RolloutFinished.v1', RolloutFinishedV1>;

export type RolloutCommand =
  | { type: 'CreateRollout'; data: RolloutCreatedV1 }
  | { type: 'MarkRolloutReady'; data: RolloutReadyV1 }
  | { type: 'StartRollout'; data: RolloutStartedV1 }
  | { type: 'FinishRollout'; data: RolloutFinishedV1 };

export function decide(command: RolloutCommand, state: RolloutState): RolloutEvent[] {
  if (command.type === 'CreateRollout') {
    if (state.kind === 'present') {
      throw new RolloutRuleError('ROLLOUT.ALREADY_EXISTS', `rollout ${state.rolloutId} already exists`);
    }
    return [{ type: 'RolloutCreated.v1', data: command.data }];
  }
  if (state.kind === 'absent') {
    throw new RolloutRuleError('ROLLOUT.NOT_FOUND', `rollout ${command.data.rolloutId} does not exist`);
  }
  switch (command.type) {
    case 'MarkRolloutReady':
      requireStatus(state.status, ['creating'], 'become ready');
      return [{ type: 'RolloutReady.v1', data: command.data }];
    case 'StartRollout':
      requireStatus(state.status, ['ready'], 'be started');
      return [{ type: 'RolloutStarted.v1', data: command.data }];
    case 'FinishRollout':
      // A redelivered completion for a finished rollout changes nothing.
      if (state.status === 'finished') return [];
      requireStatus(state.status, ['running'], 'finish');
      return [{ type: 'RolloutFinished.v1', data: command.data }];
  }
}

export function evolve(state: RolloutState, event: RolloutEvent): RolloutState {
  switch (event.type) {
    case 'RolloutCreated.v1':
      return {
        kind: 'present',
        rolloutId: event.data.rolloutId,
        name: event.data.name,
        status: 'creating',
        totalTargets: 0,
      };
    case 'RolloutReady.v1':
      return state.kind === 'present' ? { ...state, status: 'ready', totalTargets: event.data.totalTargets } : state;
    case 'RolloutStarted.v1':
      return state.kind === 'present' ? { ...state, status: 'running' } : state;
    case 'RolloutFinished.v1':
      return state.kind === 'present' ? { ...state, status: 'finished' } : state;
  }
}

function requireStatus(actual: RolloutStatus, allowed: RolloutStatus[], what: string): void {
  if (!allowed.includes(actual)) {
    throw new RolloutRuleError('ROLLOUT.ILLEGAL_STATE', `a rollout in state ${actual} cannot ${what}`);
  }
}
