import type { SqlExecutor } from '@fleetwave/event-store';
import type { ActionRow } from './actions.queries';
import { activeActionStatuses } from './domain/action.decider';

const actionColumns = 'a.id, a.rollout_id, a.group_id, a.target_id, a.controller_id, a.status, a.revision';

/**
 * Statuses in which an action holds its target's assigned set: it was started and has not been
 * let go (canceling still holds it until the device answers), or it finished.
 */
const assigningStatuses = [...activeActionStatuses, 'canceling', 'finished'];

/** What a group start needs to know of one target, besides the action itself. */
export interface TargetFacts {
  /** A rollout with a higher id has an action on the target. */
  supersededByNewer: boolean;
  /** The set of the target's latest assigning action of another rollout is the one this rollout delivers. */
  alreadyAssigned: boolean;
}

/**
 * The facts of many targets at once, in one statement along the (target_id, rollout_id) index.
 * "Latest" is the highest rollout id (then action id): a newer rollout's start supersedes older
 * ones, so assignments follow rollout order.
 */
export async function targetFactsOf(
  tx: SqlExecutor,
  schema: string,
  rolloutId: number,
  distributionSetId: number,
  targetIds: string[],
): Promise<Map<string, TargetFacts>> {
  if (targetIds.length === 0) return new Map();
  const { rows } = await tx.query<{ target_id: string; superseded: boolean; assigned: boolean }>(
    `select t.target_id,
            exists (select 1 from ${schema}.actions n
                     where n.target_id = t.target_id and n.rollout_id > $2) as superseded,
            coalesce((select (r.distribution_set ->> 'id')::bigint = $3
                        from ${schema}.actions a join ${schema}.rollouts r on r.rollout_id = a.rollout_id
                       where a.target_id = t.target_id and a.rollout_id <> $2 and a.status = any($4::text[])
                       order by a.rollout_id desc, a.id desc limit 1), false) as assigned
       from unnest($1::bigint[]) as t(target_id)`,
    [targetIds, rolloutId, distributionSetId, assigningStatuses],
  );
  return new Map(rows.map((r) => [r.target_id, { supersededByNewer: r.superseded, alreadyAssigned: r.assigned }]));
}

/**
 * Locks the active actions other rollouts have on the given targets (a group start on them
 * cancels those), in id order so that concurrent chunks lock alike.
 */
export async function lockOtherActive(
  tx: SqlExecutor,
  schema: string,
  rolloutId: number,
  targetIds: string[],
): Promise<ActionRow[]> {
  if (targetIds.length === 0) return [];
  const { rows } = await tx.query<ActionRow>(
    `select ${actionColumns} from ${schema}.actions a
      where a.target_id = any($1::bigint[]) and a.rollout_id <> $2 and a.status = any($3::text[])
      order by a.id for update`,
    [targetIds, rolloutId, activeActionStatuses],
  );
  return rows;
}

/**
 * Locks the scheduled actions of older rollouts on the targets of a creation chunk (the group's
 * members in (`afterTargetId`, `lastTargetId`]): the newer rollout's start cancels them.
 */
export async function lockOlderScheduled(
  tx: SqlExecutor,
  schema: string,
  target: { rolloutId: number; groupId: number },
  afterTargetId: string,
  lastTargetId: string,
): Promise<ActionRow[]> {
  const { rows } = await tx.query<ActionRow>(
    `select ${actionColumns} from ${schema}.actions a
      where a.target_id in (select m.target_id from ${schema}.group_members m
                             where m.group_id = $1 and m.target_id > $2 and m.target_id <= $3)
        and a.rollout_id < $4 and a.status = 'scheduled'
      order by a.id for update of a`,
    [target.groupId, afterTargetId, lastTargetId, target.rolloutId],
  );
  return rows;
}
