import type { ScheduledAction } from '@fleetwave/contracts';
import type { SqlExecutor } from '@fleetwave/event-store';
import { commitChanges, decideAll } from './action-changes';
import { appendActionsScheduled } from './action-creation';
import { settleRollouts } from './action-settlement';
import { TENANT, type DispatchDeps } from './action-streams';
import { openActionsFrom, type ActionRow } from './actions.queries';
import { ACTIVATION_CHUNK, activateChunk, dispatchInfoOf } from './group-activation';

/** A member recorded by this batch (bigint columns as text). */
export interface NewMember {
  rollout_id: string;
  group_id: string;
  target_id: string;
  controller_id: string;
}

const actionColumns = 'a.id, a.rollout_id, a.group_id, a.target_id, a.controller_id, a.status, a.revision';

/**
 * Members a dynamic rollout took in after its start get their actions at once, in the consumer's
 * transaction (an intake chunk is small): created scheduled, older rollouts' scheduled actions on
 * the same targets cancelled (the takeover of a creation chunk), and, when the group already
 * runs, started like a group activation (same set already assigned → finished; the target's
 * other active actions cancelled; the instruction sent). Members of rollouts not started yet are
 * left to the creation at start; those of ending rollouts get no action.
 *
 * The group rows are locked first, as a group start locks them before recording it: either the
 * start is committed and seen here, or it waits for this commit and its activation sees these
 * actions. Set-based: a few statements per rollout and group, whatever the chunk size.
 */
export async function actOnLateMembers(deps: DispatchDeps, tx: SqlExecutor, members: NewMember[]): Promise<void> {
  if (members.length === 0) return;
  const { schema } = deps;
  const rolloutIds = [...new Set(members.map((m) => m.rollout_id))];
  const { rows: live } = await tx.query<{ rollout_id: string }>(
    `select rollout_id from ${schema}.rollouts where rollout_id = any($1::bigint[]) and started and ending is null`,
    [rolloutIds],
  );
  const running = new Set(live.map((r) => r.rollout_id));
  const late = members.filter((m) => running.has(m.rollout_id));
  if (late.length === 0) return;
  const groupIds = [...new Set(late.map((m) => m.group_id))].sort((a, b) => Number(BigInt(a) - BigInt(b)));
  await tx.query(
    `select group_id from ${schema}.rollout_groups where group_id = any($1::bigint[]) order by group_id for update`,
    [groupIds],
  );
  const created = await createScheduled(tx, schema, late);
  if (created.length === 0) return;
  await recordScheduled(deps, tx, created);
  for (const rolloutId of new Set(created.map((a) => a.rollout_id))) {
    const ofRollout = created.filter((a) => a.rollout_id === rolloutId);
    await takeOver(deps, tx, Number(rolloutId), ofRollout);
  }
  const { rows: started } = await tx.query<{ group_id: string }>(
    `select group_id from ${schema}.started_groups where group_id = any($1::bigint[])`,
    [groupIds],
  );
  for (const { group_id } of started) {
    const ofGroup = created.filter((a) => a.group_id === group_id);
    if (ofGroup.length > 0) await activate(deps, tx, ofGroup);
  }
}

/** One insert for the whole batch, in target order like a creation chunk; existing actions are kept. */
async function createScheduled(tx: SqlExecutor, schema: string, members: NewMember[]): Promise<ActionRow[]> {
  const { rows } = await tx.query<ActionRow>(
    `with created as (
       insert into ${schema}.actions (rollout_id, group_id, target_id, controller_id, status)
       select m.rollout_id, m.group_id, m.target_id, m.controller_id, 'scheduled'
         from unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[])
              as m(rollout_id, group_id, target_id, controller_id)
        order by m.target_id
       on conflict (rollout_id, target_id) do nothing
       returning id, rollout_id, group_id, target_id, controller_id, status, revision),
     opened as (${openActionsFrom(schema, 'created')})
     select * from created`,
    [
      members.map((m) => m.rollout_id),
      members.map((m) => m.group_id),
      members.map((m) => m.target_id),
      members.map((m) => m.controller_id),
    ],
  );
  return rows.sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
}

/** ActionsScheduled.v1 per group, with the actions, recorded as a creation chunk records its own. */
async function recordScheduled(deps: DispatchDeps, tx: SqlExecutor, created: ActionRow[]): Promise<void> {
  for (const groupId of new Set(created.map((a) => a.group_id))) {
    const ofGroup = created.filter((a) => a.group_id === groupId);
    const actions: ScheduledAction[] = ofGroup.map((a) => ({
      actionId: Number(a.id),
      targetId: Number(a.target_id),
      controllerId: a.controller_id,
    }));
    await appendActionsScheduled(
      deps,
      tx,
      { rolloutId: Number(ofGroup[0].rollout_id), groupId: Number(groupId) },
      actions,
    );
  }
}

/** Older rollouts' scheduled actions on the new members' targets are cancelled unsent. */
async function takeOver(deps: DispatchDeps, tx: SqlExecutor, rolloutId: number, created: ActionRow[]): Promise<void> {
  const { rows } = await tx.query<ActionRow>(
    `select ${actionColumns} from ${deps.schema}.actions a
      where a.target_id = any($1::bigint[]) and a.rollout_id < $2 and a.status = 'scheduled'
      order by a.id for update of a`,
    [created.map((a) => a.target_id), rolloutId],
  );
  if (rows.length === 0) return;
  const at = deps.clock();
  const changes = decideAll(rows, () => ({ type: 'Cancel', mode: 'soft', tenant: TENANT, at }));
  await commitChanges(deps, tx, changes);
  await settleRollouts(deps, tx, [...new Set(changes.map((c) => Number(c.row.rollout_id)))]);
}

/** The group runs: its new actions start now, from just before the first of them, chunk by chunk. */
async function activate(deps: DispatchDeps, tx: SqlExecutor, created: ActionRow[]): Promise<void> {
  const target = { rolloutId: Number(created[0].rollout_id), groupId: Number(created[0].group_id) };
  const info = await dispatchInfoOf(deps, tx, target.rolloutId);
  if (!info) throw new Error(`rollout ${target.rolloutId} is started but its definition is unknown`);
  const last = BigInt(created[created.length - 1].id);
  let after = String(BigInt(created[0].id) - 1n);
  for (;;) {
    const chunk = await activateChunk(deps, tx, info, target, after, ACTIVATION_CHUNK);
    if (chunk.lastId === undefined || BigInt(chunk.lastId) >= last) return;
    after = chunk.lastId;
  }
}
