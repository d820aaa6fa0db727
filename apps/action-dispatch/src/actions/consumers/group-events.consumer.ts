import type { RolloutGroupStartedV1 } from '@fleetwave/contracts';
import type { EventStore } from '@fleetwave/event-store';
import type { HandlerContext } from '@fleetwave/messaging';
import { DISPATCH_SCHEMA } from '../actions.migration';
import { activateGroup } from '../action-streams';
import type { Envelope } from '@fleetwave/service-kit';

/** A group started: its scheduled actions become running and their devices are told to update. */
export class GroupEventsConsumer {
  constructor(
    private readonly store: EventStore,
    private readonly clock: () => number,
  ) {}

  async handle(event: Envelope, { tx }: HandlerContext): Promise<void | 'ignored'> {
    if (event.type !== 'RolloutGroupStarted.v1') return 'ignored';
    const { rolloutId, groupId } = event.data as RolloutGroupStartedV1;
    const recorded = await tx.query(
      `insert into ${DISPATCH_SCHEMA}.started_groups (group_id, rollout_id) values ($1, $2) on conflict do nothing`,
      [groupId, rolloutId],
    );
    if (recorded.rowCount === 0) return 'ignored';
    // When the rollout's start has not been consumed yet, the start itself activates this group.
    await activateGroup(this.store, tx, rolloutId, groupId, this.clock());
  }
}
