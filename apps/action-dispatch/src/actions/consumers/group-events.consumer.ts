import { isEvent, type RolloutGroupStartedV1 } from '@fleetwave/contracts';
import type { BatchHandler, BatchResult } from '@fleetwave/messaging';
import type { Envelope } from '@fleetwave/service-kit';
import type { DispatchDeps } from '../action-streams';
import { activateGroup } from '../group-activation';

/**
 * Groups started: their scheduled actions become running and their devices are told to update.
 * The batch records every start in one statement; each newly started group is activated in bulk.
 */
export class GroupEventsConsumer {
  constructor(private readonly deps: DispatchDeps) {}

  readonly handleBatch: BatchHandler<Envelope> = async (items, { tx }) => {
    const result: Required<BatchResult> = { rejected: [], ignored: [] };
    const starts: { messageId: string; start: RolloutGroupStartedV1 }[] = [];
    for (const { message, context } of items) {
      if (isEvent(message, 'RolloutGroupStarted.v1')) {
        starts.push({ messageId: context.messageId, start: message.data });
      } else result.ignored.push(context.messageId);
    }
    if (starts.length === 0) return result;
    const { rows } = await tx.query<{ group_id: string }>(
      `insert into ${this.deps.schema}.started_groups (group_id, rollout_id)
       select * from unnest($1::bigint[], $2::bigint[]) on conflict do nothing returning group_id`,
      [starts.map((s) => s.start.groupId), starts.map((s) => s.start.rolloutId)],
    );
    const recorded = new Set(rows.map((r) => Number(r.group_id)));
    for (const { messageId, start } of starts) {
      // A start seen before (another delivery, or twice in this batch) activates nothing more.
      if (!recorded.delete(start.groupId)) {
        result.ignored.push(messageId);
        continue;
      }
      // When the rollout's start has not been consumed yet, the start itself activates this group.
      await activateGroup(this.deps, tx, start.rolloutId, start.groupId);
    }
    return result;
  };
}
