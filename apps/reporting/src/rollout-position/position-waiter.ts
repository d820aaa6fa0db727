import { Inject, Injectable } from '@nestjs/common';
import { RolloutChangesHub } from '../rollout-watch/rollout-changes.hub';
import { RolloutPositions } from './rollout-position.projection';

/** The longest a caller may have a wait last. */
export const MAX_POSITION_WAIT_MS = 10_000;

export interface PositionWait {
  rolloutId: number;
  revision: number;
  reached: boolean;
}

/**
 * Waits (bounded) until the read model has projected a rollout's stream up to a revision, woken
 * by the projection's commit notifications rather than by polling. The gateway asks after a
 * write, with the revision the write answered, so that the client's next read shows its write.
 */
@Injectable()
export class PositionWaiter {
  constructor(
    @Inject(RolloutChangesHub) private readonly hub: RolloutChangesHub,
    @Inject(RolloutPositions) private readonly positions: RolloutPositions,
  ) {}

  async waitFor(rolloutId: number, atLeast: number, timeoutMs: number): Promise<PositionWait> {
    const bound = Math.min(Math.max(0, timeoutMs), MAX_POSITION_WAIT_MS);
    const read = () => this.positions.revision(rolloutId);
    let revision = await read();
    if (revision >= atLeast) return { rolloutId, revision, reached: true };
    let wake = (): void => undefined;
    const stop = await this.hub.watch(rolloutId, () => wake());
    try {
      const deadline = Date.now() + bound;
      // Read again after subscribing: a commit between the first read and the subscription is not missed.
      revision = await read();
      while (revision < atLeast && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, deadline - Date.now());
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        revision = await read();
      }
    } finally {
      await stop();
    }
    return { rolloutId, revision, reached: revision >= atLeast };
  }
}
