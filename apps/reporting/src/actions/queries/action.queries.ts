import { page, type Page } from '@fleetwave/platform';
import { REPORTING_SCHEMA as S } from '../../rollout-progress/rollout-progress.migration';
import { compileActionFilter } from './action-filter';
import { actionSortColumns, orderByOf, statusSortColumns } from './action-sort';
import type { ActionStatusView, ActionView } from '@fleetwave/contracts';
import { toActionView, toStatusView, type ActionStatusRow, type ActionViewRow } from './action.views';

/** Runs one SQL statement with positional parameters and returns its rows. */
export type SqlQuery = <R>(sql: string, params: unknown[]) => Promise<R[]>;

/** Paging and filtering of a list, validated at the edge (offset and limit in range). */
export interface ActionListParams {
  offset: number;
  limit: number;
  sort?: string;
  q?: string;
}

/**
 * Reads of the actions read model: lists with `q` and `sort` (both validated, a bad one is a
 * 400), one action, one action's status history. Each list is one page query and one count. The
 * one handler of each query, which the internal gRPC API serves; views are data (`renderAction`
 * makes hawkBit's JSON of them).
 */
export class ActionQueries {
  constructor(private readonly sql: SqlQuery) {}

  /** Every action (`/actions`), or one target's (`/targets/{controllerId}/actions`). */
  async list(params: ActionListParams, controllerId?: string): Promise<Page<ActionView>> {
    const conditions: string[] = [];
    const values: unknown[] = [];
    if (controllerId !== undefined) {
      values.push(controllerId);
      conditions.push(`a.controller_id = $1`);
    }
    if (params.q) {
      const filter = compileActionFilter(params.q, values.length + 1);
      conditions.push(filter.where);
      values.push(...filter.params);
    }
    const where = conditions.length > 0 ? `where ${conditions.join(' and ')}` : '';
    const orderBy = orderByOf(params.sort, actionSortColumns, 'a.id DESC');
    const [rows, [{ total }]] = await Promise.all([
      this.sql<ActionViewRow>(
        `select a.* from ${S}.action_views a ${where} order by ${orderBy}
         offset $${values.length + 1} limit $${values.length + 2}`,
        [...values, params.offset, params.limit],
      ),
      this.sql<{ total: string }>(`select count(*) as total from ${S}.action_views a ${where}`, values),
    ]);
    return page(rows.map(toActionView), Number(total));
  }

  /** One action; with a controllerId, only if it is that target's. */
  async get(actionId: number, controllerId?: string): Promise<ActionView | undefined> {
    const [row] = await this.sql<ActionViewRow>(
      `select a.* from ${S}.action_views a where a.id = $1 and ($2::text is null or a.controller_id = $2)`,
      [actionId, controllerId ?? null],
    );
    return row && toActionView(row);
  }

  /** One action's status history, newest first unless sorted otherwise; undefined for an action not the target's. */
  async statuses(
    controllerId: string,
    actionId: number,
    params: Omit<ActionListParams, 'q'>,
  ): Promise<Page<ActionStatusView> | undefined> {
    const orderBy = orderByOf(params.sort, statusSortColumns, 's.seq DESC');
    const [owner] = await this.sql<{ id: string }>(`select id from ${S}.actions where id = $1 and controller_id = $2`, [
      actionId,
      controllerId,
    ]);
    if (!owner) return undefined;
    const [rows, [{ total }]] = await Promise.all([
      this.sql<ActionStatusRow>(
        `select s.action_id, s.seq, s.status, s.messages, s.code, s.reported_at, s.occurred_at
         from ${S}.action_status_history s where s.action_id = $1 order by ${orderBy} offset $2 limit $3`,
        [actionId, params.offset, params.limit],
      ),
      this.sql<{ total: string }>(`select count(*) as total from ${S}.action_status_history where action_id = $1`, [
        actionId,
      ]),
    ]);
    return page(rows.map(toStatusView), Number(total));
  }
}
