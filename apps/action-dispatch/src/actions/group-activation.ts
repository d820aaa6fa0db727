import type { ActionType, DistributionSetRef, DownloadAndInstallMessage } from '@fleetwave/contracts';
import type { SqlExecutor } from '@fleetwave/event-store';
import { commitChanges, decideAll } from './action-changes';
import { TENANT, type DispatchDeps } from './action-streams';
import { lockScheduledChunk, type ActionRow } from './actions.queries';
import { lockOtherActive, targetFactsOf } from './target-assignment';

/** Actions activated per chunk (one short transaction each, a few hundred ms): 4,000 events, 2,000 row updates. */
export const ACTIVATION_CHUNK = 2_000;

/** Actions of a group's first activation chunk: its first devices hear within tens of ms. */
export const FIRST_ACTIVATION_CHUNK = 100;

/**
 * Rows of a group's next activation chunk, after `chunksSoFar` of them: the first chunk is small
 * and each one after doubles up to `largest`. The first instructions of a group go out after a
 * short transaction, and its devices start working while the rest of it is activated; a large
 * group soon works in chunks of the full size.
 */
export function activationChunkSize(chunksSoFar: number, largest = ACTIVATION_CHUNK): number {
  const ramped = FIRST_ACTIVATION_CHUNK * 2 ** Math.min(chunksSoFar, 20);
  return Math.max(1, Math.min(largest, ramped));
}

/** What an activation needs to know of its rollout to address the devices. */
export interface RolloutDispatchInfo {
  distribution_set: DistributionSetRef;
  action_type: ActionType;
  force_time: string | null;
  weight: number;
}

/** The rollout's delivery settings; undefined when its definition is not known (yet). */
export async function dispatchInfoOf(
  deps: DispatchDeps,
  tx: SqlExecutor,
  rolloutId: number,
): Promise<RolloutDispatchInfo | undefined> {
  const { rows } = await tx.query<RolloutDispatchInfo>(
    `select distribution_set, action_type, force_time, weight from ${deps.schema}.rollouts where rollout_id = $1`,
    [rolloutId],
  );
  return rows[0];
}

/** The delivery settings of many rollouts in one read, by rollout id; unknown ones are absent. */
export async function dispatchInfosOf(
  deps: DispatchDeps,
  tx: SqlExecutor,
  rolloutIds: number[],
): Promise<Map<number, RolloutDispatchInfo>> {
  const { rows } = await tx.query<RolloutDispatchInfo & { rollout_id: string }>(
    `select rollout_id, distribution_set, action_type, force_time, weight from ${deps.schema}.rollouts
      where rollout_id = any($1::bigint[])`,
    [rolloutIds],
  );
  return new Map(rows.map(({ rollout_id, ...info }) => [Number(rollout_id), info]));
}

/**
 * Starts the next chunk of a group's scheduled actions after `afterId` (keyset on id), each
 * under its row lock, with what is known of its target (one statement for the chunk): an action
 * whose target a newer rollout has reached is cancelled unsent; one whose target has the set
 * assigned already finishes at once; the others become running with their DOWNLOAD(_AND_INSTALL)
 * message (or wait for confirmation, unsent, when the group asks for it), and the active actions
 * other rollouts have on their targets are asked to cancel. Every stream is appended at the
 * revision its row mirrors: an action is never instructed twice. Returns how many actions of
 * the group were started and the last id seen (undefined when none was left).
 */
export async function activateChunk(
  deps: DispatchDeps,
  tx: SqlExecutor,
  rollout: RolloutDispatchInfo,
  target: { rolloutId: number; groupId: number },
  afterId: string,
  chunkSize = ACTIVATION_CHUNK,
): Promise<{ activated: number; lastId?: string }> {
  const { schema } = deps;
  const rows = await lockScheduledChunk(tx, schema, target.groupId, afterId, chunkSize);
  if (rows.length === 0) return { activated: 0 };
  const instruction = instructionFor(rollout, target.rolloutId, target.groupId);
  const confirmationRequired = await confirmationRequiredOf(tx, schema, target.groupId);
  const facts = await targetFactsOf(
    tx,
    schema,
    target.rolloutId,
    rollout.distribution_set.id,
    rows.map((r) => r.target_id),
  );
  const at = deps.clock();
  const started = decideAll(rows, (row) => ({
    type: 'Activate',
    instruction: instruction(row),
    at,
    confirmationRequired,
    ...facts.get(row.target_id),
  }));
  // The chunk locked scheduled rows only, so the decider cannot refuse one.
  if (started.length !== rows.length) throw new Error(`group ${target.groupId}: a locked action could not be started`);
  const taking = started.filter((c) => c.status === 'running' || c.status === 'wait_for_confirmation');
  const others = await lockOtherActive(
    tx,
    schema,
    target.rolloutId,
    taking.map((c) => c.row.target_id),
  );
  const displaced = decideAll(others, () => ({ type: 'Cancel', mode: 'soft', tenant: TENANT, at }));
  await commitChanges(deps, tx, [...started, ...displaced]);
  return { activated: rows.length, lastId: rows[rows.length - 1].id };
}

/**
 * Whether the group's devices confirm before their instruction is sent: the group requires it
 * and the tenant's confirmation flow was on at the rollout's start (unknown: the group decides).
 */
async function confirmationRequiredOf(tx: SqlExecutor, schema: string, groupId: number): Promise<boolean> {
  const { rows } = await tx.query<{ confirmation_required: boolean }>(
    `select g.confirmation_required and coalesce(r.confirmation_flow_enabled, true) as confirmation_required
       from ${schema}.rollout_groups g left join ${schema}.rollouts r on r.rollout_id = g.rollout_id
      where g.group_id = $1`,
    [groupId],
  );
  return rows[0]?.confirmation_required ?? false;
}

/** A row's DOWNLOAD(_AND_INSTALL) message. */
export type Instruction = (row: Pick<ActionRow, 'id' | 'controller_id'>) => DownloadAndInstallMessage;

/** How the rollout's devices are instructed, for actions of the given group. */
export function instructionFor(rollout: RolloutDispatchInfo, rolloutId: number, groupId: number): Instruction {
  const { modules, ...distributionSet } = rollout.distribution_set;
  return (row) => ({
    type: rollout.action_type === 'downloadonly' ? 'DOWNLOAD' : 'DOWNLOAD_AND_INSTALL',
    tenant: TENANT,
    controllerId: row.controller_id,
    actionId: Number(row.id),
    rolloutId,
    groupId,
    actionType: rollout.action_type,
    forceTime: rollout.force_time === null ? undefined : Number(rollout.force_time),
    weight: rollout.weight,
    distributionSet,
    softwareModules: modules,
  });
}
