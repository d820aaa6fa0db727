import type { RolloutRepository } from '../../rollouts/rollout.repository';
import type { RolloutFacts, RolloutSetLookup } from './target-status.rules';

/** Loads what a rollout rolls out and how (from its stream); undefined when the rollout is gone. */
export type RolloutSetLoader = (rolloutId: number) => Promise<RolloutFacts | undefined>;

/**
 * A rollout's distribution set and action type never change, so each is loaded once and kept, up to a bound
 * (oldest dropped first) so that a long-running service does not grow without end. A batch
 * touches few rollouts: one load per rollout not yet known.
 */
export class RolloutSetsCache {
  private readonly sets = new Map<number, RolloutFacts>();

  constructor(
    private readonly load: RolloutSetLoader,
    private readonly capacity = 10_000,
  ) {}

  async lookup(rolloutIds: Iterable<number>): Promise<RolloutSetLookup> {
    for (const rolloutId of new Set(rolloutIds)) {
      if (this.sets.has(rolloutId)) continue;
      const set = await this.load(rolloutId);
      // A rollout without a set now is gone for good; it is asked again only if it comes up again.
      if (set === undefined) continue;
      if (this.sets.size >= this.capacity) this.sets.delete(this.sets.keys().next().value as number);
      this.sets.set(rolloutId, set);
    }
    return (rolloutId) => this.sets.get(rolloutId);
  }
}

/** The loader over the rollouts' own streams (rollout-command owns them). */
export const rolloutFactsFromStreams =
  (rollouts: Pick<RolloutRepository, 'load'>): RolloutSetLoader =>
  async (rolloutId) => {
    const { state } = await rollouts.load(rolloutId);
    if (state.kind !== 'present') return undefined;
    return {
      distributionSetId: state.summary.distributionSetId,
      downloadOnly: state.summary.actionType === 'downloadonly',
    };
  };
