import { Inject, Injectable } from '@nestjs/common';
import type { EventStore, SqlExecutor } from '@fleetwave/event-store';
import type { EventMetadata } from '@fleetwave/contracts';
import { EVENT_STORE } from '../shared/tokens';
import {
  decide,
  evolve,
  initialRolloutState,
  isRolloutEvent,
  RolloutCommand,
  RolloutEvent,
  RolloutState,
} from './domain/rollout.decider';

export const rolloutStream = (rolloutId: number): string => `rollout-${rolloutId}`;
export const membershipStream = (rolloutId: number): string => `rollout-${rolloutId}-membership`;

/** A rollout as loaded: its state and the stream's last revision (undefined: no stream). */
export interface LoadedRollout {
  state: RolloutState;
  revision: number | undefined;
}

/** What a command did: the state it was decided on, the events written, and the state after them. */
export interface RolloutDecision {
  before: RolloutState;
  events: RolloutEvent[];
  after: RolloutState;
}

/** A command, or a function that builds it from the current state (for inputs derived from it). */
export type CommandSource = RolloutCommand | ((state: RolloutState) => RolloutCommand);

/** Loads a Rollout from its stream, decides, and appends with the expected revision. */
@Injectable()
export class RolloutRepository {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async load(rolloutId: number): Promise<LoadedRollout> {
    const events = await this.store.readStream(rolloutStream(rolloutId));
    const state = events.reduce((s, e) => {
      // The store has upcast old versions; a type still unknown means the state cannot be trusted.
      if (!isRolloutEvent(e)) throw new Error(`unknown event ${e.type} in stream ${e.streamName}`);
      return evolve(s, e);
    }, initialRolloutState);
    return { state, revision: events.length > 0 ? events[events.length - 1].revision : undefined };
  }

  /** Thin handler core: load, decide, append. Returns the events written (none when the command changed nothing). */
  async handle(rolloutId: number, command: CommandSource, metadata: EventMetadata, tx?: SqlExecutor) {
    return (await this.decide(rolloutId, command, metadata, tx)).events;
  }

  /** {@link handle}, telling also the states before and after. */
  async decide(
    rolloutId: number,
    command: CommandSource,
    metadata: EventMetadata,
    tx?: SqlExecutor,
    loaded?: LoadedRollout,
  ): Promise<RolloutDecision & { revision: number | undefined }> {
    const { state, revision } = loaded ?? (await this.load(rolloutId));
    const events = decide(typeof command === 'function' ? command(state) : command, state);
    let next = revision;
    if (events.length > 0) {
      const appended = await this.store.appendToStream(
        rolloutStream(rolloutId),
        events.map((e) => ({ ...e, metadata })),
        { expectedRevision: revision ?? 'no_stream', tx },
      );
      next = appended.nextExpectedRevision;
    }
    return { before: state, events, after: events.reduce(evolve, state), revision: next };
  }

  /**
   * Commands of one transaction (a consumer's batch): a rollout is loaded once and then carried
   * forward in memory, since its appends are not visible to a read outside the transaction yet.
   */
  session(tx: SqlExecutor): RolloutSession {
    const loaded = new Map<number, LoadedRollout>();
    return {
      decide: async (rolloutId, command, metadata) => {
        const decision = await this.decide(rolloutId, command, metadata, tx, loaded.get(rolloutId));
        loaded.set(rolloutId, { state: decision.after, revision: decision.revision });
        return decision;
      },
    };
  }
}

export interface RolloutSession {
  decide(rolloutId: number, command: CommandSource, metadata: EventMetadata): Promise<RolloutDecision>;
}
