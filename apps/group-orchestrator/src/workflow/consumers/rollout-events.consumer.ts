import { isEvent } from '@fleetwave/contracts';
import type { SqlExecutor } from '@fleetwave/event-store';
import type { BatchHandler, BatchResult, MessageContext } from '@fleetwave/messaging';
import type { Envelope } from '@fleetwave/service-kit';
import { onRolloutStarted, type WorkflowEvent } from '../domain/group-workflow';
import type { GroupWorkflowRepository, WorkflowSession } from '../group-workflow.repository';

export const metadataOf = (context: MessageContext) => ({
  causationId: context.messageId,
  correlationId: context.cloudEvent?.correlationId,
  actor: 'group-orchestrator',
});

/**
 * Rollout lifecycle in: defines the workflow, records group totals, starts the first group.
 * Few per rollout, so a batch applies them one by one, in order, in one session.
 */
export class RolloutEventsConsumer {
  constructor(private readonly workflows: GroupWorkflowRepository) {}

  readonly handleBatch: BatchHandler<Envelope> = async (items, { tx }) => {
    const session = this.workflows.session(tx);
    const result: Required<BatchResult> = { rejected: [], ignored: [] };
    for (const { message, context } of items) {
      if ((await this.apply(message, context, session, tx)) === 'ignored') result.ignored.push(context.messageId);
    }
    return result;
  };

  private async apply(
    event: Envelope,
    context: MessageContext,
    session: WorkflowSession,
    tx: SqlExecutor,
  ): Promise<void | 'ignored'> {
    const metadata = metadataOf(context);
    if (isEvent(event, 'RolloutCreated.v1')) {
      const created = event.data;
      const defined: WorkflowEvent = {
        type: 'GroupWorkflowDefined.v1',
        data: {
          rolloutId: created.rolloutId,
          groups: created.groups.map((g) => ({
            groupId: g.groupId,
            index: g.index,
            policy: {
              successCondition: g.successCondition,
              successAction: g.successAction,
              errorCondition: g.errorCondition,
              errorAction: g.errorAction,
            },
          })),
        },
      };
      return session.step(created.rolloutId, metadata, (state) =>
        state.defined ? { ignored: 'workflow already defined' } : [defined],
      );
    }
    if (isEvent(event, 'RolloutReady.v1')) {
      const ready = event.data;
      await tx.query(
        `insert into ${this.workflows.schema}.group_counters (group_id, rollout_id, total)
           select g, $1, t from unnest($2::bigint[], $3::int[]) as x(g, t) on conflict (group_id) do nothing`,
        [ready.rolloutId, ready.groups.map((g) => g.groupId), ready.groups.map((g) => g.totalTargets)],
      );
      return session.step(ready.rolloutId, metadata, () => [
        { type: 'GroupTotalsKnown.v1', data: { rolloutId: ready.rolloutId, totals: ready.groups } },
      ]);
    }
    if (isEvent(event, 'RolloutStarted.v1')) {
      const { rolloutId, startedAt } = event.data;
      return session.step(rolloutId, metadata, (state, counts) => onRolloutStarted(state, counts, startedAt));
    }
    return 'ignored';
  }
}
