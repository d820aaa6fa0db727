import type { RolloutActionsSettledV1 } from '@fleetwave/contracts';
import type { SqlExecutor } from '@fleetwave/event-store';
import { settledStream, type DispatchDeps, type RolloutEnding } from './action-streams';

/**
 * Appends RolloutActionsSettled.v1 for each of the given rollouts that is ending, not settled
 * yet, has no cancel work left and no open action; returns those settled. Two statements and one
 * append whatever the number of rollouts.
 *
 * The ending rollouts' rows are locked first, so that two transactions making the last changes
 * of one rollout (a cancel chunk and a device batch) take turns: the later one's check runs in a
 * snapshot that sees the earlier one's commit, and one of them always sees everything final.
 */
export async function settleRollouts(deps: DispatchDeps, tx: SqlExecutor, rolloutIds: number[]): Promise<number[]> {
  if (rolloutIds.length === 0) return [];
  const { schema } = deps;
  const locked = await tx.query<{ rollout_id: string }>(
    `select rollout_id from ${schema}.rollouts
      where rollout_id = any($1::bigint[]) and ending is not null and not settled
      order by rollout_id for update`,
    [rolloutIds],
  );
  if (locked.rows.length === 0) return [];
  const { rows } = await tx.query<{ rollout_id: string; ending: RolloutEnding }>(
    `update ${schema}.rollouts r set settled = true
      where r.rollout_id = any($1::bigint[])
        and not exists (select 1 from ${schema}.dispatch_work w
                         where w.rollout_id = r.rollout_id and w.kind = 'cancel' and not w.done)
        and not exists (select 1 from ${schema}.open_actions o where o.rollout_id = r.rollout_id)
      returning r.rollout_id, r.ending`,
    [locked.rows.map((r) => r.rollout_id)],
  );
  if (rows.length === 0) return [];
  const settledAt = deps.clock();
  await deps.store.appendToStreams(
    rows.map((row) => {
      const data: RolloutActionsSettledV1 = { rolloutId: Number(row.rollout_id), reason: row.ending, settledAt };
      return {
        streamName: settledStream(data.rolloutId, row.ending),
        expectedRevision: 'no_stream' as const,
        events: [{ type: 'RolloutActionsSettled.v1', data }],
      };
    }),
    { tx },
  );
  return rows.map((r) => Number(r.rollout_id));
}
