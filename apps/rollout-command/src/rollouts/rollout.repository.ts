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

/** Loads a Rollout from its stream, decides, and appends with the expected revision. */
@Injectable()
export class RolloutRepository {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async load(rolloutId: number): Promise<{ state: RolloutState; revision: number | undefined }> {
    const events = await this.store.readStream(rolloutStream(rolloutId));
    const state = events.reduce((s, e) => {
      // The store has upcast old versions; a type still unknown means the state cannot be trusted.
      if (!isRolloutEvent(e)) throw new Error(`unknown event ${e.type} in stream ${e.streamName}`);
      return evolve(s, e);
    }, initialRolloutState);
    return { state, revision: events.length > 0 ? events[events.length - 1].revision : undefined };
  }

  /** Thin handler core: load, decide, append. Returns the events written (none when the command changed nothing). */
  async handle(
    rolloutId: number,
    command: RolloutCommand,
    metadata: EventMetadata,
    tx?: SqlExecutor,
  ): Promise<RolloutEvent[]> {
    const { state, revision } = await this.load(rolloutId);
    const events = decide(command, state);
    if (events.length > 0) {
      await this.store.appendToStream(
        rolloutStream(rolloutId),
        events.map((e) => ({ ...e, metadata })),
        { expectedRevision: revision ?? 'no_stream', tx },
      );
    }
    return events;
  }
}
