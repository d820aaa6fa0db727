import { finalActionStatuses, type ActionStatus, type ActionType } from '@fleetwave/contracts';
import type { SqlExecutor } from '@fleetwave/event-store';
import type { ActionState } from './domain/action.decider';

/** An actions row as the handlers read it (bigint columns arrive as text). */
export interface ActionRow {
  id: string;
  rollout_id: string;
  group_id: string;
  target_id: string;
  controller_id: string;
  status: ActionStatus;
  /** Last revision of the action's stream, kept in step with it by {@link saveActionStates}. */
  revision: number;
}

/** The decider's view of a row. */
export const actionStateOf = (row: ActionRow): ActionState => ({
  actionId: Number(row.id),
  rolloutId: Number(row.rollout_id),
  groupId: Number(row.group_id),
  targetId: Number(row.target_id),
  controllerId: row.controller_id,
  status: row.status,
});

/** An action row with its rollout's action type, which decides what a device's report means. */
export interface ReportedActionRow extends ActionRow {
  /** Null only when the rollout's row is not known here. */
  action_type: ActionType | null;
}

/**
 * Locks and reads the given actions, in id order so that concurrent batches lock alike, with
 * their rollouts' action types in the same statement. Only the action rows are locked: the
 * rollout rows are locked by the settlement check alone, after the actions.
 */
export async function lockActions(tx: SqlExecutor, schema: string, ids: number[]): Promise<ReportedActionRow[]> {
  const { rows } = await tx.query<ReportedActionRow>(
    `select a.id, a.rollout_id, a.group_id, a.target_id, a.controller_id, a.status, a.revision, r.action_type
       from ${schema}.actions a left join ${schema}.rollouts r on r.rollout_id = a.rollout_id
      where a.id = any($1::bigint[]) order by a.id for update of a`,
    [ids],
  );
  return rows;
}

/** Locks and reads the next chunk of a group's scheduled actions after `afterId` (keyset order). */
export async function lockScheduledChunk(
  tx: SqlExecutor,
  schema: string,
  groupId: number,
  afterId: string,
  limit: number,
): Promise<ActionRow[]> {
  const { rows } = await tx.query<ActionRow>(
    `select id, rollout_id, group_id, target_id, controller_id, status, revision from ${schema}.actions
     where group_id = $1 and status = 'scheduled' and id > $2 order by id limit $3 for update`,
    [groupId, afterId, limit],
  );
  return rows;
}

/**
 * Locks and reads the next chunk of a group's non-final actions after `afterId`, keyset on id
 * along the group's open actions (finished, error and canceled ones are not among them). An
 * action turning final while the chunk waits for its lock is left out.
 */
export async function lockOpenChunk(
  tx: SqlExecutor,
  schema: string,
  target: { rolloutId: number; groupId: number },
  afterId: string,
  limit: number,
): Promise<ActionRow[]> {
  const { rows } = await tx.query<ActionRow>(
    `select a.id, a.rollout_id, a.group_id, a.target_id, a.controller_id, a.status, a.revision
       from ${schema}.open_actions o join ${schema}.actions a on a.id = o.action_id
      where o.rollout_id = $1 and o.group_id = $2 and o.action_id > $3 and a.status <> all($5::text[])
      order by o.action_id limit $4 for update of a`,
    [target.rolloutId, target.groupId, afterId, limit, finalActionStatuses],
  );
  return rows;
}

/** A changed action: its new status and the revision its stream reached with the append. */
export interface SavedActionState {
  id: string;
  status: ActionStatus;
  revision: number;
}

/**
 * Writes many actions' new states in one statement, and takes those now final out of the open
 * actions. The revision comes from the event store's append result, so the row mirrors its
 * stream without counting events by hand.
 */
export async function saveActionStates(tx: SqlExecutor, schema: string, states: SavedActionState[]): Promise<void> {
  if (states.length === 0) return;
  await tx.query(
    `with saved as (
       update ${schema}.actions a set status = x.status, revision = x.revision, last_modified_at = now()
         from unnest($1::bigint[], $2::text[], $3::int[]) as x(id, status, revision) where a.id = x.id
       returning a.id, a.rollout_id, a.group_id, a.status)
     delete from ${schema}.open_actions o using saved s
      where s.status = any($4::text[]) and o.rollout_id = s.rollout_id and o.group_id = s.group_id
        and o.action_id = s.id`,
    [states.map((s) => s.id), states.map((s) => s.status), states.map((s) => s.revision), finalActionStatuses],
  );
}

/** Enters newly created actions (given as `rows`, a CTE of theirs) among the open ones. */
export const openActionsFrom = (schema: string, rows: string): string =>
  `insert into ${schema}.open_actions (rollout_id, group_id, action_id) select rollout_id, group_id, id from ${rows}`;
