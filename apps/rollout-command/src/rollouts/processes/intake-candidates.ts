import type { GroupMember } from '@fleetwave/contracts';
import type { SqlExecutor } from '@fleetwave/event-store';
import { compileRolloutTargetFilter } from '../commands/retry-rollout/failed-targets.filter';

/** A keyset window over target ids, `(afterId, upTo]`, and the members found in it. */
export interface WindowTake {
  /** The last id of the window; undefined when no target lies after `afterId`. */
  upTo: number | undefined;
  members: GroupMember[];
}

/**
 * Finds targets a dynamic rollout may take in, one bounded window of target ids at a time so
 * that no step scans (or holds) more than the window however large the fleet: targets in the
 * window that match the rollout's filter and are members neither of it nor of any newer
 * rollout (a higher id), in id order.
 */
export class IntakeCandidates {
  constructor(readonly schema: string) {}

  /**
   * Up to `limit` candidates among the next `window` target ids after `afterId` (not beyond
   * `upTo` when given).
   */
  async take(
    tx: SqlExecutor,
    request: { rolloutId: number; filterQuery: string; afterId: number; upTo?: number; window: number; limit: number },
  ): Promise<WindowTake> {
    const bound = await tx.query<{ up_to: string | null }>(
      `select max(id) as up_to from (
         select id from ${this.schema}.targets where id > $1 and ($2::bigint is null or id <= $2)
         order by id limit $3) w`,
      [request.afterId, request.upTo ?? null, request.window],
    );
    const upTo = bound.rows[0].up_to === null ? undefined : Number(bound.rows[0].up_to);
    if (upTo === undefined || request.limit <= 0) return { upTo, members: [] };
    const { where, params } = compileRolloutTargetFilter(request.filterQuery, this.schema);
    const n = params.length;
    const { rows } = await tx.query<{ id: string; controller_id: string }>(
      `select t.id, t.controller_id from ${this.schema}.targets t
       where t.id > $${n + 1} and t.id <= $${n + 2} and (${where})
         and not exists (select 1 from ${this.schema}.rollout_members m
                         where m.target_id = t.id and m.rollout_id >= $${n + 3})
       order by t.id limit $${n + 4}`,
      [...params, request.afterId, upTo, request.rolloutId, request.limit],
    );
    return { upTo, members: rows.map((r) => ({ targetId: Number(r.id), controllerId: r.controller_id })) };
  }
}

/** Where a window's cursor goes next: past the last member taken when the limit cut it short, else past the window. */
export function nextCursor(window: WindowTake, limit: number, afterId: number): number {
  if (window.upTo === undefined) return afterId;
  if (window.members.length >= limit && limit > 0) return window.members[window.members.length - 1].targetId;
  return window.upTo;
}
