import type { SqlExecutor } from '@fleetwave/event-store';
import { settleRollouts } from './action-settlement';
import type { DispatchDeps, RolloutEnding } from './action-streams';
import { notifyDispatch, queueCancelWork } from './dispatch/dispatch-work.queries';

/** Tables holding a rollout's rows, children first. */
const rolloutTables = ['actions', 'dispatch_work', 'started_groups', 'group_members', 'rollout_groups', 'rollouts'];

/**
 * A started rollout is stopping or deleting: records the ending on its row, ends its creation
 * and activation work and queues its cancel work, which the dispatch worker carries out in
 * short chunks. A delete after a stop turns the stop's soft cancel into a force cancel (and
 * settles anew, as DELETED). Undefined when done; else why nothing changed (a redelivery, or an
 * ending that a stronger one already replaced).
 *
 * The dispatch_work rows are locked before the rollout's row, in the order a cancel chunk takes
 * them (its work row, then the rollout row when it settles), so the two never wait on each other.
 */
export async function endRollout(
  deps: DispatchDeps,
  tx: SqlExecutor,
  rolloutId: number,
  ending: RolloutEnding,
): Promise<string | undefined> {
  const { schema } = deps;
  const { rows } = await tx.query<{ ending: RolloutEnding | null }>(
    `select ending from ${schema}.rollouts where rollout_id = $1`,
    [rolloutId],
  );
  if (rows.length === 0) return `rollout ${rolloutId} is not known here`;
  const current = rows[0].ending;
  if (current === ending) return `rollout ${rolloutId} is already ending as ${ending}`;
  if (current === 'DELETED') return `rollout ${rolloutId} is already being deleted`;
  await queueCancelWork(tx, schema, rolloutId);
  await tx.query(`update ${schema}.rollouts set ending = $2, settled = false where rollout_id = $1`, [
    rolloutId,
    ending,
  ]);
  await notifyDispatch(tx, schema);
  // A rollout without groups (nothing to cancel) settles at once.
  await settleRollouts(deps, tx, [rolloutId]);
  return undefined;
}

/**
 * Forgets rollouts: every row of theirs goes. With `unstartedOnly` (a stop), a rollout that has
 * started keeps its rows, since its actions stay addressable by their devices. Returns the
 * rollouts forgotten.
 */
export async function forgetRollouts(
  deps: DispatchDeps,
  tx: SqlExecutor,
  rolloutIds: number[],
  unstartedOnly: boolean,
): Promise<number[]> {
  const { schema } = deps;
  const { rows } = await tx.query<{ id: string }>(
    `select id from unnest($1::bigint[]) as ids(id)
      where not $2 or not exists (select 1 from ${schema}.rollouts r where r.rollout_id = ids.id and r.started)`,
    [rolloutIds, unstartedOnly],
  );
  const ids = rows.map((r) => r.id);
  if (ids.length === 0) return [];
  for (const table of rolloutTables) {
    await tx.query(`delete from ${schema}.${table} where rollout_id = any($1::bigint[])`, [ids]);
  }
  return ids.map(Number);
}
