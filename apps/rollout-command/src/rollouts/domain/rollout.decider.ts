import type {
  EventData,
  EventEnvelope,
  RolloutCreatedV1,
  RolloutEventMap,
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

/** The events of a `rollout-<id>` stream (the membership chunks have a stream of their own). */
export type RolloutStreamEventMap = Pick<
  RolloutEventMap,
  'RolloutCreated.v1' | 'RolloutReady.v1' | 'RolloutStarted.v1' | 'RolloutFinished.v1'
>;

export type RolloutEvent = {
  [K in keyof RolloutStreamEventMap]: EventData<K, RolloutStreamEventMap[K]>;
}[keyof RolloutStreamEventMap];

// A record, so that the compiler insists on every type of the map being listed.
const rolloutEventTypes: Record<RolloutEvent['type'], true> = {
  'RolloutCreated.v1': true,
  'RolloutReady.v1': true,
  'RolloutStarted.v1': true,
  'RolloutFinished.v1': true,
};
const knownTypes = new Set<string>(Object.keys(rolloutEventTypes));

/** Narrows an event read from a rollout stream to the {@link RolloutEvent} union that {@link evolve} takes. */
export function isRolloutEvent<TEvent extends EventEnvelope>(event: TEvent): event is TEvent & RolloutEvent {
  return knownTypes.has(event.type);
}

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
