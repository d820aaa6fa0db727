import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DATABASE_POOL } from '../../../shared/tokens';
import { ApplicationError } from '../../../shared/application-error';
import { INVENTORY_SCHEMA } from '../../../inventory/inventory.migration';
import { badRequest } from '../../../inventory/inventory-errors';
import { AllowedModuleTypes, AssignableModule, assignModules } from '../../domain/module-assignment';

const S = INVENTORY_SCHEMA;

/** Loads what the module assignment rules need and applies them; used by create and assignedSM. */
@Injectable()
export class ModuleAssigner {
  constructor(@Inject(DATABASE_POOL) private readonly pool: Pool) {}

  /** The modules by id, every one existing and not deleted (else 404 naming the missing ones). */
  async modules(ids: readonly number[]): Promise<AssignableModule[]> {
    if (ids.length === 0) return [];
    const { rows } = await this.pool.query<{ id: string; type: string }>(
      `select id, type from ${S}.software_modules where id = any($1::bigint[]) and not deleted`,
      [ids],
    );
    const found = new Map(rows.map((r) => [Number(r.id), r.type]));
    const missing = [...new Set(ids)].filter((id) => !found.has(id));
    if (missing.length > 0) {
      throw new ApplicationError(
        'not_found',
        'hawkbit.server.error.repo.entitiyNotFound',
        `SoftwareModule with given identifier {${missing.join(', ')}} does not exist.`,
      );
    }
    return ids.map((id) => ({ id, type: found.get(id) as string }));
  }

  async allowedTypes(setType: string): Promise<AllowedModuleTypes> {
    const { rows } = await this.pool.query<{ key: string | null; max: number | null }>(
      `select st.key, st.max_assignments as max from ${S}.distribution_set_types d
       left join ${S}.distribution_set_type_modules m on m.ds_type_id = d.id
       left join ${S}.software_module_types st on st.id = m.sm_type_id
       where d.key = $1`,
      [setType],
    );
    if (rows.length === 0) return undefined;
    return new Map(rows.flatMap((r) => (r.key === null ? [] : [[r.key, r.max ?? 1] as [string, number]])));
  }

  /** The set's module ids after assigning `addedIds`, or a 400 when the set type refuses them. */
  async assign(setType: string, currentIds: readonly number[], addedIds: readonly number[]): Promise<number[]> {
    const [current, added, allowed] = await Promise.all([
      this.currentModules(currentIds),
      this.modules(addedIds),
      this.allowedTypes(setType),
    ]);
    const outcome = assignModules(setType, allowed, current, added);
    if (!outcome.ok) throw badRequest(outcome.message);
    return outcome.moduleIds;
  }

  private async currentModules(ids: readonly number[]): Promise<AssignableModule[]> {
    if (ids.length === 0) return [];
    const { rows } = await this.pool.query<{ id: string; type: string }>(
      `select id, type from ${S}.software_modules where id = any($1::bigint[])`,
      [ids],
    );
    const types = new Map(rows.map((r) => [Number(r.id), r.type]));
    return ids.flatMap((id) => (types.has(id) ? [{ id, type: types.get(id) as string }] : []));
  }
}
