import type { ScheduledAction } from '@fleetwave/contracts';
import type { SqlExecutor } from '@fleetwave/event-store';
import { actionsScheduledEvents } from './actions-scheduled.events';
import { commitChanges, decideAll } from './action-changes';
import { settleRollouts } from './action-settlement';
import { groupActionsStream, TENANT, type DispatchDeps } from './action-streams';
import { openActionsFrom } from './actions.queries';
import { lockOlderScheduled } from './target-assignment';

/** Scheduled actions created per chunk (one short transaction each): one insert...select. */
export const CREATION_CHUNK = 10_000;

/** One creation chunk: members seen, actions created, and where the cursor and frontier stand. */
export interface CreationChunk {
  seen: number;
  created: number;
  /** Last target id of the chunk (the creation cursor); undefined when no member was left. */
  lastTargetId?: string;
  /** Last action id the chunk created; undefined when it created none. */
  lastActionId?: string;
}

/**
 * Creates the scheduled actions of the next members of a group after `afterTargetId` (keyset
 * on target id, in one insert...select, nothing held in memory beyond the chunk) and records
 * them with ActionsScheduled.v1 events for the chunk (see {@link appendActionsScheduled}),
 * which reporting adds to the group's count and to its actions read model. A target that
 * already has its action is skipped, so a chunk done twice creates and counts nothing twice.
 * Ids follow target order within the chunk, and chunks of a group follow one another, so the
 * group's ids grow with its cursor and activation can follow behind the frontier.
 */
export async function createChunk(
  deps: DispatchDeps,
  tx: SqlExecutor,
  target: { rolloutId: number; groupId: number },
  afterTargetId: string,
  chunkSize = CREATION_CHUNK,
): Promise<CreationChunk> {
  const { schema } = deps;
  const { rows } = await tx.query<{
    seen: string;
    last_target: string | null;
    created: string;
    last_action: string;
    actions: [number, number, string][];
  }>(
    `with chunk as (
       select rollout_id, group_id, target_id, controller_id from ${schema}.group_members
        where group_id = $1 and target_id > $2 order by target_id limit $3),
     created as (
       insert into ${schema}.actions (rollout_id, group_id, target_id, controller_id, status)
       select rollout_id, group_id, target_id, controller_id, 'scheduled' from chunk order by target_id
       on conflict (rollout_id, target_id) do nothing returning id, rollout_id, group_id, target_id, controller_id),
     opened as (${openActionsFrom(schema, 'created')})
     select (select count(*) from chunk) as seen, (select max(target_id) from chunk) as last_target,
            (select count(*) from created) as created, (select max(id) from created) as last_action,
            (select coalesce(json_agg(json_build_array(id, target_id, controller_id) order by id), '[]')
               from created) as actions`,
    [target.groupId, afterTargetId, chunkSize],
  );
  const chunk: CreationChunk = {
    seen: Number(rows[0].seen),
    created: Number(rows[0].created),
    lastTargetId: rows[0].last_target ?? undefined,
    lastActionId: rows[0].last_action ?? undefined,
  };
  const actions = rows[0].actions.map(([actionId, targetId, controllerId]) => ({ actionId, targetId, controllerId }));
  await appendActionsScheduled(deps, tx, target, actions);
  return chunk;
}

/**
 * Records newly created scheduled actions of a group: ActionsScheduled.v1 events on the group's
 * actions stream, each carrying its share of the actions (bounded in bytes, so that an event
 * stays far below the relay's limit) with their count. Nothing is appended for no actions.
 */
export async function appendActionsScheduled(
  deps: DispatchDeps,
  tx: SqlExecutor,
  target: { rolloutId: number; groupId: number },
  actions: readonly ScheduledAction[],
): Promise<void> {
  if (actions.length === 0) return;
  await deps.store.appendToStream(
    groupActionsStream(target.rolloutId, target.groupId),
    actionsScheduledEvents(target, actions, deps.clock()),
    { expectedRevision: 'any', tx },
  );
}

/**
 * A newer rollout's start takes over the targets of its creation chunk (the group's members in
 * (`afterTargetId`, `lastTargetId`]): older rollouts' scheduled actions on them are cancelled,
 * with nothing to tell their devices. Ending rollouts among those may have settled with it.
 * Returns how many were cancelled.
 */
export async function cancelSupersededChunk(
  deps: DispatchDeps,
  tx: SqlExecutor,
  target: { rolloutId: number; groupId: number },
  afterTargetId: string,
  lastTargetId: string,
): Promise<number> {
  const rows = await lockOlderScheduled(tx, deps.schema, target, afterTargetId, lastTargetId);
  if (rows.length === 0) return 0;
  const at = deps.clock();
  const changes = decideAll(rows, () => ({ type: 'Cancel', mode: 'soft', tenant: TENANT, at }));
  await commitChanges(deps, tx, changes);
  await settleRollouts(deps, tx, [...new Set(changes.map((c) => Number(c.row.rollout_id)))]);
  return changes.length;
}
