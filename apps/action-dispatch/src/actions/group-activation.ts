import type { ActionType, DistributionSetRef, DownloadAndInstallMessage, EventData } from '@fleetwave/contracts';
import type { SqlExecutor, StreamAppend } from '@fleetwave/event-store';
import { actionStream, expectedFrom, TENANT, type DispatchDeps } from './action-streams';
import { actionStateOf, lockScheduledChunk, saveActionStates, type ActionRow } from './actions.queries';
import { decide } from './domain/action.decider';

/** Actions activated per chunk (one short transaction each, a few hundred ms): 4,000 events, 2,000 row updates. */
export const ACTIVATION_CHUNK = 2_000;

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

/**
 * Starts the next chunk of a group's scheduled actions after `afterId` (keyset on id): each
 * becomes running, and its stream records the change and the DOWNLOAD(_AND_INSTALL) message the
 * relay delivers to its device. Only scheduled actions are taken, each under its row lock, and
 * each stream is appended at the revision its row mirrors: an action is never instructed twice.
 * Returns how many were activated and the last id seen (undefined when none was left).
 */
export async function activateChunk(
  deps: DispatchDeps,
  tx: SqlExecutor,
  rollout: RolloutDispatchInfo,
  target: { rolloutId: number; groupId: number },
  afterId: string,
  chunkSize = ACTIVATION_CHUNK,
): Promise<{ activated: number; lastId?: string }> {
  const rows = await lockScheduledChunk(tx, deps.schema, target.groupId, afterId, chunkSize);
  if (rows.length === 0) return { activated: 0 };
  const instruction = instructionFor(rollout, target.rolloutId, target.groupId);
  const now = deps.clock();
  const appends: StreamAppend[] = rows.map((row) => ({
    streamName: actionStream(Number(row.id)),
    expectedRevision: expectedFrom(row.revision),
    events: activationEvents(row, instruction, now),
  }));
  const results = await deps.store.appendToStreams(appends, { tx });
  await saveActionStates(
    tx,
    deps.schema,
    rows.map((row, i) => ({ id: row.id, status: 'running', revision: results[i].nextExpectedRevision })),
  );
  return { activated: rows.length, lastId: rows[rows.length - 1].id };
}

type Instruction = (row: ActionRow) => DownloadAndInstallMessage;

function instructionFor(rollout: RolloutDispatchInfo, rolloutId: number, groupId: number): Instruction {
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

/** The decider's activation of a scheduled row: its status change and its instruction. */
function activationEvents(row: ActionRow, instruction: Instruction, now: number): EventData[] {
  const decision = decide({ type: 'Activate', instruction: instruction(row), at: now }, actionStateOf(row));
  // The chunk locked scheduled rows only, so the decider cannot refuse one.
  if ('ignored' in decision) throw new Error(`action ${row.id} cannot be activated: ${decision.ignored}`);
  return decision.events;
}
