import type { ActionStatus, ActionStatusChangedV1 } from '@fleetwave/contracts';
import type { HandlerContext } from '@fleetwave/messaging';
import { onCountsChanged } from '../domain/group-workflow';
import { ORCHESTRATOR_SCHEMA } from '../group-workflow.migration';
import { GroupWorkflowRepository } from '../group-workflow.repository';
import type { Envelope } from '@fleetwave/service-kit';
import { metadataOf } from './rollout-events.consumer';

/** Which counter a final action status moves; other statuses do not change group outcomes. */
const counterOf: Partial<Record<ActionStatus, 'finished' | 'error' | 'cancelled'>> = {
  finished: 'finished',
  error: 'error',
  canceled: 'cancelled',
};

/** Action status changes in: group counters move, then running groups' conditions are evaluated (push, no polling). */
export class ActionEventsConsumer {
  constructor(
    private readonly workflows: GroupWorkflowRepository,
    private readonly clock: () => number,
  ) {}

  async handle(event: Envelope, ctx: HandlerContext): Promise<void | 'ignored'> {
    if (event.type !== 'ActionStatusChanged.v1') return 'ignored';
    const change = event.data as ActionStatusChangedV1;
    const counter = counterOf[change.to];
    if (!counter || counterOf[change.from]) return 'ignored';
    await ctx.tx.query(
      `update ${ORCHESTRATOR_SCHEMA}.group_counters set ${counter} = ${counter} + 1 where group_id = $1`,
      [change.groupId],
    );
    return this.workflows.step(change.rolloutId, ctx.tx, metadataOf(ctx), (state, counts) =>
      onCountsChanged(state, counts, this.clock()),
    );
  }
}
