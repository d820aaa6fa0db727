import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { ListQuery, Page } from '@fleetwave/platform';
import type { EventStore } from '@fleetwave/event-store';
import { isEvent } from '@fleetwave/contracts';
import { DATABASE_POOL, EVENT_STORE } from '../../../shared/tokens';
import { notFound } from '../../../shared/application-error';
import { listPage } from '../../../inventory/list-page';
import { INVENTORY_SCHEMA } from '../../../inventory/inventory.migration';
import { targetSortable, targetViewOf, targetWithTypeColumns, type TargetView } from '../../../targets/target.view';
import { rolloutStream } from '../../rollout.repository';

/** A group's members joined with their targets (and the targets' types), for the target list. */
const membersWithTargets =
  `${INVENTORY_SCHEMA}.rollout_members m join ${INVENTORY_SCHEMA}.targets t on t.id = m.target_id ` +
  `left join ${INVENTORY_SCHEMA}.target_types tt on tt.id = t.target_type_id`;

/**
 * The targets of one deploy group, with the target list's paging, `sort` and `q`. Served from
 * `rollout_members`, which every membership chunk writes, so it holds dynamic groups' members as
 * they join.
 */
@Injectable()
export class DeployGroupTargets {
  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async list(rolloutId: number, groupId: number, query: ListQuery): Promise<Page<TargetView>> {
    await this.requireGroup(rolloutId, groupId);
    return listPage(
      this.pool,
      {
        from: membersWithTargets,
        columns: targetWithTypeColumns,
        sortable: targetSortable,
        tieBreaker: 't.id',
        scope: { where: 'm.group_id = $1 and m.rollout_id = $2', params: [groupId, rolloutId] },
        toView: targetViewOf,
      },
      query,
    );
  }

  /** 404 unless the rollout exists (not removed) and the group is one of its groups, dynamic ones included. */
  private async requireGroup(rolloutId: number, groupId: number): Promise<void> {
    const events = await this.store.readStream(rolloutStream(rolloutId));
    const groups = new Set<number>();
    let removed = false;
    for (const event of events) {
      if (isEvent(event, 'RolloutCreated.v1')) event.data.groups.forEach((g) => groups.add(g.groupId));
      else if (isEvent(event, 'RolloutGroupAdded.v1')) groups.add(event.data.group.groupId);
      else if (isEvent(event, 'RolloutRemoved.v1')) removed = true;
    }
    if (events.length === 0 || removed) throw notFound('Rollout', rolloutId);
    if (!groups.has(groupId)) throw notFound('RolloutGroup', groupId);
  }
}
