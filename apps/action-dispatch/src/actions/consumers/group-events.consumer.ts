import { isEvent, type RolloutGroupStartedV1 } from '@fleetwave/contracts';
import type { BatchHandler, BatchResult } from '@fleetwave/messaging';
import type { Envelope } from '@fleetwave/service-kit';
import type { DispatchDeps } from '../action-streams';
import { notifyDispatch } from '../dispatch/dispatch-work.queries';

/**
 * Groups started: records each start and queues the group's activation, all in two statements
 * per batch. The dispatch worker activates the group in short chunks as soon as its rollout has
 * started and its actions exist (following their creation chunk by chunk).
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
    const { schema } = this.deps;
    // Members taken in by a running dynamic rollout lock their group the same way: either they see
    // this start committed (and start their actions), or this start waits and activates them.
    await tx.query(
      `select group_id from ${schema}.rollout_groups where group_id = any($1::bigint[]) order by group_id for share`,
      [starts.map((s) => s.start.groupId)],
    );
    const { rows } = await tx.query<{ group_id: string; rollout_id: string }>(
      `insert into ${schema}.started_groups (group_id, rollout_id)
       select * from unnest($1::bigint[], $2::bigint[]) on conflict do nothing returning group_id, rollout_id`,
      [starts.map((s) => s.start.groupId), starts.map((s) => s.start.rolloutId)],
    );
    const recorded = new Set(rows.map((r) => Number(r.group_id)));
    // A start seen before (another delivery, or twice in this batch) queues nothing more.
    for (const { messageId, start } of starts) if (!recorded.delete(start.groupId)) result.ignored.push(messageId);
    if (rows.length === 0) return result;
    // A group start arriving after its rollout's stop or delete activates nothing: recorded as done.
    await tx.query(
      `insert into ${schema}.dispatch_work (group_id, kind, rollout_id, position, done)
       select s.group_id, 'activate', s.rollout_id, coalesce(g.position, 0), coalesce(r.ending is not null, false)
         from unnest($1::bigint[], $2::bigint[]) as s(group_id, rollout_id)
         left join ${schema}.rollout_groups g on g.group_id = s.group_id
         left join ${schema}.rollouts r on r.rollout_id = s.rollout_id
       on conflict do nothing`,
      [rows.map((r) => r.group_id), rows.map((r) => r.rollout_id)],
    );
    await notifyDispatch(tx, schema);
    return result;
  };
}
