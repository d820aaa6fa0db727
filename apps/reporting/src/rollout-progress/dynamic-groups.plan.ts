import { isEvent, type RolloutGroupAddedV1 } from '@fleetwave/contracts';
import type { BatchItem } from '@fleetwave/messaging';
import type { Envelope } from '@fleetwave/service-kit';

/** Members a group took in after its rollout became ready (a dynamic rollout's intake), summed over a batch. */
export interface MemberGrowth {
  rolloutId: number;
  groupId: number;
  added: number;
  /**
   * The rollout became ready earlier in this batch. Otherwise the growth counts only if it became
   * ready in an earlier batch: members assigned before ready are in the ready event's totals.
   */
  afterReadyInBatch: boolean;
}

export interface DynamicGroupsPlan {
  added: RolloutGroupAddedV1[];
  growth: MemberGrowth[];
  /** Membership chunks the ready event of the same batch counts already. */
  ignored: string[];
}

/**
 * Folds what a dynamic rollout adds after its creation: its next groups (RolloutGroupAdded.v1)
 * and the members taken into its groups after ready, which grow the group's and the rollout's
 * totals. A membership chunk before ready (every chunk of a static rollout) is in the ready
 * event's totals and grows nothing.
 */
export function planDynamicGroups(items: BatchItem<Envelope>[]): DynamicGroupsPlan {
  const added: RolloutGroupAddedV1[] = [];
  const growth = new Map<number, MemberGrowth>();
  const ignored: string[] = [];
  const readyLater = new Map<number, number>();
  items.forEach(({ message }, i) => {
    if (isEvent(message, 'RolloutReady.v1')) readyLater.set(message.data.rolloutId, i);
  });
  items.forEach(({ message, context }, i) => {
    if (isEvent(message, 'RolloutGroupAdded.v1')) {
      added.push(message.data);
      return;
    }
    if (!isEvent(message, 'RolloutGroupMembersAssigned.v1')) return;
    const { rolloutId, groupId, members } = message.data;
    const readyAt = readyLater.get(rolloutId);
    if (readyAt !== undefined && readyAt > i) {
      ignored.push(context.messageId);
      return;
    }
    const group = growth.get(groupId) ?? { rolloutId, groupId, added: 0, afterReadyInBatch: readyAt !== undefined };
    group.added += members.length;
    growth.set(groupId, group);
  });
  return {
    added: added.sort((a, b) => a.group.groupId - b.group.groupId),
    growth: [...growth.values()].filter((g) => g.added > 0).sort((a, b) => a.groupId - b.groupId),
    ignored,
  };
}
