import { Logger } from '@nestjs/common';
import {
  isEvent,
  type ActionStatus,
  type ActionStatusChangedV1,
  type EventMetadata,
  type RolloutActionsSettledV1,
} from '@fleetwave/contracts';
import type { SqlExecutor } from '@fleetwave/event-store';
import type { BatchHandler, BatchResult, MessageContext } from '@fleetwave/messaging';
import type { Envelope } from '@fleetwave/service-kit';
import { onActionsSettled, onCountsChanged } from '../domain/group-workflow';
import type { GroupWorkflowRepository, WorkflowDecision } from '../group-workflow.repository';
import { metadataOf } from './workflow-step';

/** The action events the workflow takes as input (the consumer's type filter). */
export const actionInputTypes = ['ActionStatusChanged.v1', 'RolloutActionsSettled.v1'] as const;

type Counter = 'finished' | 'error' | 'cancelled' | 'downloaded';
type Deltas = Record<Counter, number>;

/** Which counter a final action status moves. */
const finalCounterOf: Partial<Record<ActionStatus, Counter>> = {
  finished: 'finished',
  error: 'error',
  canceled: 'cancelled',
};

/**
 * The counter moves of one status change. Final statuses stay final, so a change away from one
 * moves nothing (it was counted when reached); `downloaded` is counted while an action is in it,
 * for downloadonly rollouts whose workflow counts it as finished.
 */
function deltasOf(change: ActionStatusChangedV1): Deltas | undefined {
  if (finalCounterOf[change.from]) return undefined;
  const deltas: Deltas = { finished: 0, error: 0, cancelled: 0, downloaded: 0 };
  const counter = finalCounterOf[change.to];
  if (counter) deltas[counter] += 1;
  if (change.to === 'downloaded') deltas.downloaded += 1;
  if (change.from === 'downloaded') deltas.downloaded -= 1;
  return Object.values(deltas).some((d) => d !== 0) ? deltas : undefined;
}

/**
 * Whether an action event can move the workflow: a status change that moves no counter (an
 * activation, a device's progress) cannot, so it is settled without a transaction or a record.
 */
export const movesWorkflow = (event: Envelope): boolean =>
  !isEvent(event, 'ActionStatusChanged.v1') || deltasOf(event.data) !== undefined;

/**
 * Action events in: the batch's counter deltas are summed per group and applied in one statement,
 * then the workflow of every rollout the batch touched is evaluated once (push, no polling),
 * against counts that include the whole batch; then the settling of a stopping rollout's actions.
 */
export class ActionEventsConsumer {
  private readonly logger = new Logger(ActionEventsConsumer.name);

  constructor(
    private readonly workflows: GroupWorkflowRepository,
    private readonly clock: () => number,
  ) {}

  readonly handleBatch: BatchHandler<Envelope> = async (items, { tx }) => {
    const result: Required<BatchResult> = { rejected: [], ignored: [] };
    const deltas = new Map<number, Deltas>();
    const rolloutOf = new Map<number, number>();
    // Per rollout, the last message that moved one of its counters: the cause of its step.
    const causes = new Map<number, MessageContext>();
    const settlings: { settled: RolloutActionsSettledV1; context: MessageContext }[] = [];
    for (const { message, context } of items) {
      if (isEvent(message, 'RolloutActionsSettled.v1')) {
        settlings.push({ settled: message.data, context });
        continue;
      }
      const change = isEvent(message, 'ActionStatusChanged.v1') ? message.data : undefined;
      const moves = change && deltasOf(change);
      if (!change || !moves) {
        result.ignored.push(context.messageId);
        continue;
      }
      const group = deltas.get(change.groupId) ?? { finished: 0, error: 0, cancelled: 0, downloaded: 0 };
      for (const counter of Object.keys(moves) as Counter[]) group[counter] += moves[counter];
      deltas.set(change.groupId, group);
      rolloutOf.set(change.groupId, change.rolloutId);
      causes.set(change.rolloutId, context);
    }
    if (result.ignored.length > 0) this.logger.debug(`${result.ignored.length} action events moved no counter`);
    if (deltas.size > 0) await this.addToCounters(tx, deltas, rolloutOf);
    const session = this.workflows.session(tx);
    const now = this.clock();
    const step = async (rolloutId: number, metadata: EventMetadata, what: string, decide: WorkflowDecision) => {
      const outcome = await session.step(rolloutId, metadata, decide);
      if (outcome) this.logger.debug(`${what} of rollout ${rolloutId} ignored: ${outcome.ignored}`);
      return outcome;
    };
    // Settlings first (the counters already hold the whole batch): a settled rollout is being
    // stopped, so its last cancellations must not start a group even before the stop is known.
    for (const { settled, context } of settlings) {
      const outcome = await step(settled.rolloutId, metadataOf(context), 'settling', (state, counts) =>
        onActionsSettled(state, counts, settled),
      );
      if (outcome) result.ignored.push(context.messageId);
    }
    for (const [rolloutId, cause] of causes) {
      await step(rolloutId, metadataOf(cause), 'count change', (state, counts) => onCountsChanged(state, counts, now));
    }
    return result;
  };

  private async addToCounters(
    tx: SqlExecutor,
    deltas: Map<number, Deltas>,
    rollouts: Map<number, number>,
  ): Promise<void> {
    // In group order, so that batches of different partitions lock counter rows alike.
    const groups = [...deltas.keys()].sort((a, b) => a - b);
    const column = (counter: Counter) => groups.map((g) => (deltas.get(g) as Deltas)[counter]);
    // Upserted: a group added to a dynamic rollout may see its first actions counted before the
    // rollout consumer has created its row (the two topics are consumed apart).
    await tx.query(
      `insert into ${this.workflows.schema}.group_counters as c
         (group_id, rollout_id, total, finished, error, cancelled, downloaded)
       select x.group_id, x.rollout_id, 0, x.finished, x.error, x.cancelled, x.downloaded
         from unnest($1::bigint[], $2::bigint[], $3::int[], $4::int[], $5::int[], $6::int[])
           as x(group_id, rollout_id, finished, error, cancelled, downloaded)
       on conflict (group_id) do update
         set finished = c.finished + excluded.finished, error = c.error + excluded.error,
             cancelled = c.cancelled + excluded.cancelled, downloaded = c.downloaded + excluded.downloaded`,
      [
        groups,
        groups.map((g) => rollouts.get(g)),
        column('finished'),
        column('error'),
        column('cancelled'),
        column('downloaded'),
      ],
    );
  }
}
