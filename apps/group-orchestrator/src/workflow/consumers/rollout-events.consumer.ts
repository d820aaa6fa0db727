import type { RolloutCreatedV1, RolloutReadyV1, RolloutStartedV1 } from '@fleetwave/contracts';
import type { HandlerContext } from '@fleetwave/messaging';
import type { Envelope } from '@fleetwave/service-kit';
import { onRolloutStarted, type WorkflowEvent } from '../domain/group-workflow';
import { ORCHESTRATOR_SCHEMA } from '../group-workflow.migration';
import { GroupWorkflowRepository } from '../group-workflow.repository';

export const metadataOf = (ctx: HandlerContext) => ({
  causationId: ctx.messageId,
  correlationId: ctx.cloudEvent?.correlationId,
  actor: 'group-orchestrator',
});

/** Rollout lifecycle in: defines the workflow, records group totals, starts the first group. */
export class RolloutEventsConsumer {
  constructor(private readonly workflows: GroupWorkflowRepository) {}

  async handle(event: Envelope, ctx: HandlerContext): Promise<void | 'ignored'> {
    switch (event.type) {
      case 'RolloutCreated.v1': {
        const created = event.data as RolloutCreatedV1;
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
        return this.workflows.step(created.rolloutId, ctx.tx, metadataOf(ctx), (state) =>
          state.defined ? { ignored: 'workflow already defined' } : [defined],
        );
      }
      case 'RolloutReady.v1': {
        const ready = event.data as RolloutReadyV1;
        await ctx.tx.query(
          `insert into ${ORCHESTRATOR_SCHEMA}.group_counters (group_id, rollout_id, total)
           select g, $1, t from unnest($2::bigint[], $3::int[]) as x(g, t) on conflict (group_id) do nothing`,
          [ready.rolloutId, ready.groups.map((g) => g.groupId), ready.groups.map((g) => g.totalTargets)],
        );
        return this.workflows.step(ready.rolloutId, ctx.tx, metadataOf(ctx), () => [
          { type: 'GroupTotalsKnown.v1', data: { rolloutId: ready.rolloutId, totals: ready.groups } },
        ]);
      }
      case 'RolloutStarted.v1': {
        const { rolloutId, startedAt } = event.data as RolloutStartedV1;
        return this.workflows.step(rolloutId, ctx.tx, metadataOf(ctx), (state, counts) =>
          onRolloutStarted(state, counts, startedAt),
        );
      }
      default:
        return 'ignored';
    }
  }
}
