import type { RolloutCreatedV1, RolloutGroupMembersAssignedV1, RolloutStartedV1 } from '@fleetwave/contracts';
import type { EventStore } from '@fleetwave/event-store';
import type { HandlerContext } from '@fleetwave/messaging';
import type { Envelope } from '@fleetwave/service-kit';
import { DISPATCH_SCHEMA } from '../actions.migration';
import { activateGroup, rolloutActionsStream } from '../action-streams';

/** Rollout lifecycle in: remembers what to deliver and to whom; on start, creates every action as scheduled. */
export class RolloutEventsConsumer {
  constructor(
    private readonly store: EventStore,
    private readonly clock: () => number,
  ) {}

  async handle(event: Envelope, { tx }: HandlerContext): Promise<void | 'ignored'> {
    switch (event.type) {
      case 'RolloutCreated.v1': {
        const r = event.data as RolloutCreatedV1;
        await tx.query(
          `insert into ${DISPATCH_SCHEMA}.rollouts (rollout_id, distribution_set, action_type, force_time, weight)
           values ($1, $2, $3, $4, $5) on conflict (rollout_id) do nothing`,
          [r.rolloutId, JSON.stringify(r.distributionSet), r.actionType, r.forceTime ?? null, r.weight],
        );
        return;
      }
      case 'RolloutGroupMembersAssigned.v1': {
        const m = event.data as RolloutGroupMembersAssignedV1;
        await tx.query(
          `insert into ${DISPATCH_SCHEMA}.group_members (rollout_id, group_id, target_id, controller_id)
           select $1, $2, t, c from unnest($3::bigint[], $4::text[]) as x(t, c) on conflict do nothing`,
          [m.rolloutId, m.groupId, m.members.map((x) => x.targetId), m.members.map((x) => x.controllerId)],
        );
        return;
      }
      case 'RolloutStarted.v1':
        return this.start((event.data as RolloutStartedV1).rolloutId, tx);
      default:
        return 'ignored';
    }
  }

  /** Creates the scheduled actions set-based (no targets held in memory), then starts groups that already started. */
  private async start(rolloutId: number, tx: HandlerContext['tx']): Promise<void | 'ignored'> {
    const flagged = await tx.query(
      `update ${DISPATCH_SCHEMA}.rollouts set started = true where rollout_id = $1 and not started`,
      [rolloutId],
    );
    if (flagged.rowCount === 0) return 'ignored';
    const { rows } = await tx.query<{ group_id: string; created: string }>(
      `with created as (
         insert into ${DISPATCH_SCHEMA}.actions (rollout_id, group_id, target_id, controller_id, status)
         select rollout_id, group_id, target_id, controller_id, 'scheduled' from ${DISPATCH_SCHEMA}.group_members
         where rollout_id = $1 order by group_id, target_id
         on conflict (rollout_id, target_id) do nothing returning group_id)
       select group_id, count(*) as created from created group by group_id order by group_id`,
      [rolloutId],
    );
    if (rows.length > 0) {
      await this.store.appendToStream(
        rolloutActionsStream(rolloutId),
        rows.map((r) => ({
          type: 'ActionsScheduled.v1',
          data: { rolloutId, groupId: Number(r.group_id), count: Number(r.created) },
        })),
        { expectedRevision: 'any', tx },
      );
    }
    const started = await tx.query<{ group_id: string }>(
      `select group_id from ${DISPATCH_SCHEMA}.started_groups where rollout_id = $1`,
      [rolloutId],
    );
    for (const g of started.rows) await activateGroup(this.store, tx, rolloutId, Number(g.group_id), this.clock());
  }
}
