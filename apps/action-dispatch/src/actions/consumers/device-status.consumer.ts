import type { ActionStatus, DeviceInboundMessage } from '@fleetwave/contracts';
import type { EventStore } from '@fleetwave/event-store';
import { DeadLetterError, type HandlerContext } from '@fleetwave/messaging';
import { DISPATCH_SCHEMA } from '../actions.migration';
import { actionStream, expectedFrom, statusChanged } from '../action-streams';
import { decideDeviceStatus } from '../domain/action-status';

/** Device status reports in: the action moves on, its stream records the change for the group workflow and reporting. */
export class DeviceStatusConsumer {
  constructor(
    private readonly store: EventStore,
    private readonly clock: () => number,
  ) {}

  async handle(message: DeviceInboundMessage, { tx }: HandlerContext): Promise<void | 'ignored'> {
    if (message.type !== 'UPDATE_ACTION_STATUS') return 'ignored';
    const { rows } = await tx.query<{
      rollout_id: string;
      group_id: string;
      target_id: string;
      controller_id: string;
      status: ActionStatus;
      revision: number;
    }>(
      `select rollout_id, group_id, target_id, controller_id, status, revision from ${DISPATCH_SCHEMA}.actions where id = $1 for update`,
      [message.actionId],
    );
    if (rows.length === 0) throw new DeadLetterError(`unknown action ${message.actionId}`);
    const action = rows[0];
    if (action.controller_id !== message.controllerId) {
      throw new DeadLetterError(`action ${message.actionId} does not belong to device ${message.controllerId}`);
    }
    const decision = decideDeviceStatus(action.status, message.status);
    if ('ignored' in decision) return 'ignored';
    await tx.query(
      `update ${DISPATCH_SCHEMA}.actions set status = $2, revision = revision + 1, last_modified_at = now() where id = $1`,
      [message.actionId, decision.change],
    );
    await this.store.appendToStream(
      actionStream(message.actionId),
      [
        statusChanged({
          actionId: message.actionId,
          rolloutId: Number(action.rollout_id),
          groupId: Number(action.group_id),
          targetId: Number(action.target_id),
          controllerId: action.controller_id,
          from: action.status,
          to: decision.change,
          at: message.timestamp ?? this.clock(),
        }),
      ],
      { expectedRevision: expectedFrom(action.revision), tx },
    );
  }
}
