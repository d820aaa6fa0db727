import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Pool } from 'pg';
import type { DistributionSetRef } from '@fleetwave/contracts';
import type { SqlExecutor } from '@fleetwave/event-store';
import { DATABASE_POOL } from '../../shared/tokens';
import { notFound } from '../../shared/application-error';
import { INVENTORY_SCHEMA } from '../../inventory/inventory.migration';
import {
  DistributionSetRow,
  distributionSetColumns,
  DistributionSetView,
  moduleColumns,
  modulesWithType,
  setsWithType,
  SoftwareModuleRow,
  toDistributionSetView,
} from '../repository.views';
import { ARTIFACT_SETTINGS, type ArtifactSettings } from '../artifacts/artifact-settings';
import { artifactsOfModules } from '../artifacts/artifact.repository';
import { toArtifactRef } from '../artifacts/artifact.views';

/** Reads distribution sets with their modules, for the internal API and for rollout creation. */
@Injectable()
export class DistributionSetLookup {
  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    @Optional() @Inject(ARTIFACT_SETTINGS) private readonly artifactSettings?: ArtifactSettings,
  ) {}

  async modules(ids: number[]): Promise<SoftwareModuleRow[]> {
    if (ids.length === 0) return [];
    const { rows } = await this.pool.query<SoftwareModuleRow>(
      `select ${moduleColumns} from ${modulesWithType} where sm.id = any($1::bigint[]) order by sm.id`,
      [ids],
    );
    return rows;
  }

  /** A set with `complete` computed and its modules; unknown ids are a 404. */
  async get(id: number): Promise<{ row: DistributionSetRow; modules: SoftwareModuleRow[] }> {
    const { rows } = await this.pool.query<DistributionSetRow>(
      `select ${distributionSetColumns} from ${setsWithType} where d.id = $1`,
      [id],
    );
    if (rows.length === 0) throw notFound('DistributionSet', id);
    return { row: rows[0], modules: await this.modules(rows[0].module_ids.map(Number)) };
  }

  /** The sets' rows with `complete` computed, in the order of `ids`; an unknown id is a 404. */
  async rows(ids: number[]): Promise<DistributionSetRow[]> {
    const { rows } = await this.pool.query<DistributionSetRow>(
      `select ${distributionSetColumns} from ${setsWithType} where d.id = any($1::bigint[])`,
      [ids],
    );
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    return ids.map((id) => {
      const row = byId.get(id);
      if (!row) throw notFound('DistributionSet', id);
      return row;
    });
  }

  /** The internal view of one set (`DistributionSetView` in repository.proto); an unknown id is a 404. */
  async view(id: number): Promise<DistributionSetView> {
    const [view] = await this.views(await this.rows([id]));
    return view;
  }

  /** Internal views of sets, their modules read in one query for the whole page. */
  async views(rows: DistributionSetRow[]): Promise<DistributionSetView[]> {
    const modules = await this.modules([...new Set(rows.flatMap((r) => r.module_ids.map(Number)))]);
    const byId = new Map(modules.map((m) => [m.id, m]));
    return rows.map((row) =>
      toDistributionSetView(
        row,
        row.module_ids.flatMap((id) => byId.get(String(id)) ?? []),
      ),
    );
  }

  /**
   * Locks the set: from now on its modules cannot change (hawkBit locks a set once it is
   * assigned or used by a rollout). Meant to run in the transaction that records that use.
   */
  async lock(id: number, db: SqlExecutor = this.pool): Promise<void> {
    await db.query(`update ${INVENTORY_SCHEMA}.distribution_sets set locked = true where id = $1 and not locked`, [id]);
  }

  /** The set as carried by rollout events and device messages, each module with its artifacts and their download links. */
  async reference(id: number): Promise<DistributionSetRef> {
    const { row, modules } = await this.get(id);
    const artifacts = await artifactsOfModules(
      this.pool,
      INVENTORY_SCHEMA,
      modules.map((m) => Number(m.id)),
    );
    const baseUrl = this.artifactSettings?.downloadBaseUrl ?? 'http://127.0.0.1:8080';
    return {
      id: Number(row.id),
      name: row.name,
      version: row.version,
      modules: modules.map((m) => ({
        id: Number(m.id),
        type: m.type,
        name: m.name,
        version: m.version,
        artifacts: (artifacts.get(Number(m.id)) ?? []).map((a) => toArtifactRef(a, baseUrl)),
      })),
    };
  }
}
