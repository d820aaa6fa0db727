import type { ActionType, DistributionSetRef, DownloadAndInstallMessage, EventData } from '@fleetwave/contracts';
import type { SqlExecutor, StreamAppend } from '@fleetwave/event-store';
import { actionStream, expectedFrom, statusChanged, TENANT, type DispatchDeps } from './action-streams';
import { lockScheduledChunk, saveActionStates, type ActionRow } from './actions.queries';

/** Actions activated per statement round: large enough to amortise, small enough to keep memory flat. */
export const ACTIVATION_CHUNK = 5_000;

interface RolloutDispatchInfo {
  distribution_set: DistributionSetRef;
  action_type: ActionType;
  force_time: string | null;
  weight: number;
  started: boolean;
}

/**
 * Starts a group's scheduled actions chunk by chunk: each becomes running, and its stream records
 * the change and the DOWNLOAD(_AND_INSTALL) message the relay delivers to its device. Returns the
 * number activated; 0 while the rollout has not started (its start then activates the group).
 */
export async function activateGroup(
  deps: DispatchDeps,
  tx: SqlExecutor,
  rolloutId: number,
  groupId: number,
  chunkSize = ACTIVATION_CHUNK,
): Promise<number> {
  // FOR SHARE waits for a start of this rollout still in flight, so that either the start sees
  // this group as started or this activation sees the rollout as started; never neither.
  const info = await tx.query<RolloutDispatchInfo>(
    `select distribution_set, action_type, force_time, weight, started from ${deps.schema}.rollouts
     where rollout_id = $1 for share`,
    [rolloutId],
  );
  if (info.rows.length === 0 || !info.rows[0].started) return 0;
  const instruction = instructionFor(info.rows[0], rolloutId, groupId);
  let activated = 0;
  for (let afterId = '0'; ;) {
    const rows = await lockScheduledChunk(tx, deps.schema, groupId, afterId, chunkSize);
    if (rows.length === 0) return activated;
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
    activated += rows.length;
    afterId = rows[rows.length - 1].id;
  }
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

function activationEvents(row: ActionRow, instruction: Instruction, now: number): EventData[] {
  return [
    statusChanged({
      actionId: Number(row.id),
      rolloutId: Number(row.rollout_id),
      groupId: Number(row.group_id),
      targetId: Number(row.target_id),
      controllerId: row.controller_id,
      from: 'scheduled',
      to: 'running',
      at: now,
    }),
    { type: 'DeviceMessageRequested.v1', data: instruction(row) },
  ];
}
