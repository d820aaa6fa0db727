import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { ListQuery, Page } from '@fleetwave/platform';
import { DATABASE_POOL } from '../../../shared/tokens';
import { DistributionSetLookup } from '../../../repository/queries/distribution-set.lookup';
import type { DistributionSetView } from '../../../repository/repository.views';
import { notFound } from '../../../shared/application-error';
import { listPage } from '../../../inventory/list-page';
import { INVENTORY_SCHEMA } from '../../../inventory/inventory.migration';
import { TagRow, targetTagView, type TargetTagView } from '../../target-tags/target-tag.view';
import {
  TargetRow,
  targetSortable,
  targetsWithType,
  targetViewOf,
  targetWithTypeColumns,
  type TargetView,
} from '../../target.view';

/**
 * Reads of targets by controllerId (an unknown one is a 404): the list with `q`, `sort` and
 * paging, one target, its attributes, tags and distribution sets. The one handler of each query,
 * served over the internal gRPC API.
 */
@Injectable()
export class TargetQueries {
  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    private readonly sets: DistributionSetLookup,
  ) {}

  /** `query` as validated at the edge (limit 50 by default, at most 500). */
  list(query: ListQuery): Promise<Page<TargetView>> {
    return listPage(
      this.pool,
      {
        from: targetsWithType,
        columns: targetWithTypeColumns,
        sortable: targetSortable,
        tieBreaker: 't.id',
        toView: targetViewOf,
      },
      query,
    );
  }

  async get(controllerId: string): Promise<TargetView> {
    return targetViewOf(await this.row(controllerId, targetWithTypeColumns));
  }

  /** The attributes the device reported, as a string map. */
  async attributes(controllerId: string): Promise<Record<string, string>> {
    return (await this.row(controllerId, 't.attributes')).attributes;
  }

  /** The target's tags, by id (not paged, as in hawkBit). */
  async tags(controllerId: string): Promise<TargetTagView[]> {
    const target = await this.row(controllerId, 't.tags');
    const { rows } = await this.pool.query<TagRow>(
      `select * from ${INVENTORY_SCHEMA}.target_tags where name = any($1::text[]) order by id`,
      [target.tags ?? []],
    );
    return rows.map(targetTagView);
  }

  /** The set assigned to the target, or undefined while none is. */
  assignedSet(controllerId: string): Promise<DistributionSetView | undefined> {
    return this.setOf(controllerId, 'assigned_ds_id');
  }

  /** The set installed on the target, or undefined while none is. */
  installedSet(controllerId: string): Promise<DistributionSetView | undefined> {
    return this.setOf(controllerId, 'installed_ds_id');
  }

  private async setOf(
    controllerId: string,
    column: 'assigned_ds_id' | 'installed_ds_id',
  ): Promise<DistributionSetView | undefined> {
    const id = (await this.row(controllerId, `t.${column} as set_id`)) as unknown as { set_id: string | null };
    return id.set_id === null ? undefined : this.sets.view(Number(id.set_id));
  }

  private async row(controllerId: string, columns: string): Promise<TargetRow> {
    const { rows } = await this.pool.query<TargetRow>(
      `select ${columns} from ${targetsWithType} where t.controller_id = $1`,
      [controllerId],
    );
    if (rows.length === 0) throw notFound('Target', controllerId);
    return rows[0];
  }
}
