import { isEvent, type ActionStatusChangedV1 } from '@fleetwave/contracts';
import type { BatchContext, BatchItem, BatchResult } from '@fleetwave/messaging';
import type { Envelope } from '@fleetwave/service-kit';
import { RolloutSetsCache } from './rollout-sets.cache';
import { foldTargetStatuses, isSettling } from './target-status.rules';
import { TargetStatusStore, type TallyDelta } from './target-status.store';

/** The action events this consumer takes from action.events.v1. */
export const actionStatusEventTypes = ['ActionStatusChanged.v1', 'ActionsScheduled.v1'];

/**
 * The action events this consumer needs no processed-message record for: status changes that
 * settle nothing. The target rules give the same result however often a change comes (they are
 * written for partitions that interleave), and failures are recorded once per rollout and target;
 * only the tally counts, so settling changes and scheduled counts keep their record.
 */
export const isReplaySafeActionEvent = (event: Envelope): boolean =>
  isEvent(event, 'ActionStatusChanged.v1') && !isSettling(event.data);

/**
 * Keeps the inventory's targets in step with their actions (update status, assigned and installed
 * distribution set; rules in target-status.rules.ts) and records per rollout which targets failed
 * and how many actions are scheduled and settled, which is what a retry decides on. A whole batch
 * applies with a handful of set-based statements: lock the touched targets, fold the batch's
 * changes in Kafka order in memory, write back the changed targets, the failures and the tallies.
 */
export class ActionStatusConsumer {
  constructor(
    private readonly store: TargetStatusStore,
    private readonly rolloutSets: RolloutSetsCache,
  ) {}

  async handleBatch(items: BatchItem<Envelope>[], { tx }: BatchContext): Promise<BatchResult> {
    const ignored: string[] = [];
    const changes: ActionStatusChangedV1[] = [];
    const tally = new Map<number, TallyDelta>();
    const count = (rolloutId: number): TallyDelta => {
      const delta = tally.get(rolloutId) ?? { rolloutId, scheduled: 0, settled: 0 };
      tally.set(rolloutId, delta);
      return delta;
    };
    for (const { message, context } of items) {
      if (isEvent(message, 'ActionStatusChanged.v1')) {
        changes.push(message.data);
        if (isSettling(message.data)) count(message.data.rolloutId).settled += 1;
      } else if (isEvent(message, 'ActionsScheduled.v1')) {
        count(message.data.rolloutId).scheduled += message.data.count;
      } else {
        ignored.push(context.messageId);
      }
    }
    if (changes.length > 0) {
      const setOf = await this.rolloutSets.lookup(changes.map((c) => c.rolloutId));
      const targets = await this.store.lock(tx, [...new Set(changes.map((c) => c.targetId))]);
      await this.store.write(tx, foldTargetStatuses(targets, changes, setOf));
      await this.store.recordFailures(
        tx,
        changes
          .filter((c) => c.to === 'error' && c.from !== 'error')
          .map((c) => ({ rolloutId: c.rolloutId, targetId: c.targetId, actionId: c.actionId, failedAt: c.at })),
      );
    }
    await this.store.addToTally(tx, [...tally.values()]);
    return { ignored };
  }
}
