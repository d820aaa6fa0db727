import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { invalidParameter, ParseIdPipe } from '@fleetwave/platform';
import { RolloutChangesHub } from '../rollout-watch/rollout-changes.hub';
import { RolloutPositions } from './rollout-position.projection';

const MAX_WAIT_MS = 10_000;

const nonNegative = (name: string, value: unknown, fallback?: number): number => {
  if (value === undefined && fallback !== undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isSafeInteger(n) || n < 0) {
    throw invalidParameter(`${name} must be a non-negative integer`);
  }
  return n;
};

/**
 * Internal: waits (bounded) until the read model has projected a rollout's stream up to a
 * revision, woken by the projection's commit notifications rather than by polling. The gateway
 * calls it after a write, with the revision the write answered, so that the client's next read
 * shows what it just did.
 */
@Controller('internal/rollouts')
export class RolloutPositionController {
  constructor(
    @Inject(RolloutChangesHub) private readonly hub: RolloutChangesHub,
    @Inject(RolloutPositions) private readonly positions: RolloutPositions,
  ) {}

  @Get(':id/position')
  async wait(
    @Param('id', new ParseIdPipe('Rollout')) id: number,
    @Query('atLeast') atLeast: unknown,
    @Query('timeoutMs') timeoutMs: unknown,
  ): Promise<{ rolloutId: number; revision: number; reached: boolean }> {
    const wanted = nonNegative('atLeast', atLeast);
    const bound = Math.min(nonNegative('timeoutMs', timeoutMs, 5_000), MAX_WAIT_MS);
    const read = () => this.positions.revision(id);
    let revision = await read();
    if (revision >= wanted) return { rolloutId: id, revision, reached: true };
    let wake = (): void => undefined;
    const stop = await this.hub.watch(id, () => wake());
    try {
      const deadline = Date.now() + bound;
      // Read again after subscribing: a commit between the first read and the subscription is not missed.
      revision = await read();
      while (revision < wanted && Date.now() < deadline) {
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
    return { rolloutId: id, revision, reached: revision >= wanted };
  }
}
