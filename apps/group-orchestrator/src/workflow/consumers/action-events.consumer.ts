import { isEvent, type ActionStatus } from '@fleetwave/contracts';
import type { SqlExecutor } from '@fleetwave/event-store';
import type { BatchHandler, BatchResult, MessageContext } from '@fleetwave/messaging';
import type { Envelope } from '@fleetwave/service-kit';
import { onCountsChanged } from '../domain/group-workflow';
import type { GroupWorkflowRepository } from '../group-workflow.repository';
import { metadataOf } from './rollout-events.consumer';

type Counter = 'finished' | 'error' | 'cancelled';

/** Which counter a final action status moves; other statuses do not change group outcomes. */
const counterOf: Partial<Record<ActionStatus, Counter>> = {
  finished: 'finished',
  error: 'error',
  canceled: 'cancelled',
};

type Deltas = Record<Counter, number>;

/**
 * Action status changes in: the batch's counter deltas are summed per group and applied in one
 * statement, then the workflow of every rollout the batch touched is evaluated once (push, no
 * polling), against counts that include the whole batch.
 */
export class ActionEventsConsumer {
  constructor(
    private readonly workflows: GroupWorkflowRepository,
    private readonly clock: () => number,
  ) {}

  readonly handleBatch: BatchHandler<Envelope> = async (items, { tx }) => {
    const result: Required<BatchResult> = { rejected: [], ignored: [] };
    const deltas = new Map<number, Deltas>();
    // Per rollout, the last message that moved one of its counters: the cause of its step.
    const causes = new Map<number, MessageContext>();
    for (const { message, context } of items) {
      const change = isEvent(message, 'ActionStatusChanged.v1') ? message.data : undefined;
      const counter = change && counterOf[change.to];
      // A change away from a final status was counted when that status was reached.
      if (!change || !counter || counterOf[change.from]) {
        result.ignored.push(context.messageId);
        continue;
      }
      const group = deltas.get(change.groupId) ?? { finished: 0, error: 0, cancelled: 0 };
      group[counter] += 1;
      deltas.set(change.groupId, group);
      causes.set(change.rolloutId, context);
    }
    if (deltas.size === 0) return result;
    await this.addToCounters(tx, deltas);
    const session = this.workflows.session(tx);
    const now = this.clock();
    for (const [rolloutId, cause] of causes) {
      await session.step(rolloutId, metadataOf(cause), (state, counts) => onCountsChanged(state, counts, now));
    }
    return result;
  };

  private async addToCounters(tx: SqlExecutor, deltas: Map<number, Deltas>): Promise<void> {
    // In group order, so that batches of different partitions lock counter rows alike.
    const groups = [...deltas.keys()].sort((a, b) => a - b);
    const column = (counter: Counter) => groups.map((g) => (deltas.get(g) as Deltas)[counter]);
    await tx.query(
      `update ${this.workflows.schema}.group_counters c
       set finished = c.finished + x.finished, error = c.error + x.error, cancelled = c.cancelled + x.cancelled
       from unnest($1::bigint[], $2::int[], $3::int[], $4::int[]) as x(group_id, finished, error, cancelled)
       where c.group_id = x.group_id`,
      [groups, column('finished'), column('error'), column('cancelled')],
    );
  }
}
