import type { SqlExecutor, StreamAppend } from '@fleetwave/event-store';
import type {
  ActionStatus,
  ActionStatusChangedV1,
  DistributionSetRef,
  DownloadAndInstallMessage,
  ActionType,
  EventData,
} from '@fleetwave/contracts';
import type { EventStore } from '@fleetwave/event-store';
import { DISPATCH_SCHEMA } from './actions.migration';

export const actionStream = (actionId: number): string => `action-${actionId}`;
export const rolloutActionsStream = (rolloutId: number): string => `actions-${rolloutId}`;

export const expectedFrom = (revision: number) => (revision < 0 ? ('no_stream' as const) : revision);

export interface RolloutDispatchInfo {
  distribution_set: DistributionSetRef;
  action_type: ActionType;
  force_time: string | null;
  weight: number;
  started: boolean;
}

export const TENANT = 'DEFAULT';

export function statusChanged(data: ActionStatusChangedV1): EventData {
  return { type: 'ActionStatusChanged.v1', data };
}

/**
 * Starts a group's scheduled actions in batches of `batchSize`: each becomes running, and its
 * stream records the change and the DOWNLOAD_AND_INSTALL message the relay delivers to devices.
 */
export async function activateGroup(
  store: EventStore,
  tx: SqlExecutor,
  rolloutId: number,
  groupId: number,
  now: number,
  batchSize = 1_000,
): Promise<number> {
  const info = await tx.query<RolloutDispatchInfo>(
    `select distribution_set, action_type, force_time, weight, started from ${DISPATCH_SCHEMA}.rollouts where rollout_id = $1`,
    [rolloutId],
  );
  if (info.rows.length === 0 || !info.rows[0].started) return 0;
  const rollout = info.rows[0];
  const { modules, ...distributionSet } = rollout.distribution_set;
  let activated = 0;
  for (;;) {
    const { rows } = await tx.query<{ id: string; target_id: string; controller_id: string; revision: number }>(
      `update ${DISPATCH_SCHEMA}.actions a set status = 'running', revision = a.revision + 2, last_modified_at = now()
       where a.id in (select id from ${DISPATCH_SCHEMA}.actions where group_id = $1 and status = 'scheduled' order by id limit $2)
       returning a.id, a.target_id, a.controller_id, a.revision - 2 as revision`,
      [groupId, batchSize],
    );
    if (rows.length === 0) return activated;
    const appends: StreamAppend[] = rows.map((row) => {
      const actionId = Number(row.id);
      const message: DownloadAndInstallMessage = {
        type: rollout.action_type === 'downloadonly' ? 'DOWNLOAD' : 'DOWNLOAD_AND_INSTALL',
        tenant: TENANT,
        controllerId: row.controller_id,
        actionId,
        rolloutId,
        groupId,
        actionType: rollout.action_type,
        forceTime: rollout.force_time === null ? undefined : Number(rollout.force_time),
        weight: rollout.weight,
        distributionSet,
        softwareModules: modules,
      };
      const from: ActionStatus = 'scheduled';
      return {
        streamName: actionStream(actionId),
        expectedRevision: expectedFrom(row.revision),
        events: [
          statusChanged({
            actionId,
            rolloutId,
            groupId,
            targetId: Number(row.target_id),
            controllerId: row.controller_id,
            from,
            to: 'running',
            at: now,
          }),
          { type: 'DeviceMessageRequested.v1', data: message },
        ],
      };
    });
    await store.appendToStreams(appends, { tx });
    activated += rows.length;
  }
}
