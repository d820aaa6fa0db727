import { Injectable } from '@nestjs/common';
import type { DeviceInboundMessage } from '@fleetwave/contracts';
import type { HandlerContext } from '@fleetwave/messaging';
import { INVENTORY_SCHEMA } from '../../inventory/inventory.migration';

/**
 * Keeps the target inventory in step with what device connectors report: THING_CREATED
 * registers (or refreshes) a target, UPDATE_ATTRIBUTES changes its attributes. Action status
 * messages belong to action-dispatch and are ignored here.
 */
@Injectable()
export class DeviceRegistrationConsumer {
  async handle(message: DeviceInboundMessage, { tx }: HandlerContext): Promise<void | 'ignored'> {
    switch (message.type) {
      case 'THING_CREATED':
        await tx.query(
          `insert into ${INVENTORY_SCHEMA}.targets (controller_id, name, attributes, created_by, last_modified_by, last_controller_request_at)
           values ($1, coalesce($2, $1), coalesce($3::jsonb, '{}'), 'device', 'device', now())
           on conflict (controller_id) do update set
             name = coalesce($2, targets.name),
             attributes = case when $3::jsonb is null then targets.attributes else targets.attributes || $3::jsonb end,
             last_controller_request_at = now(), last_modified_at = now(), last_modified_by = 'device'`,
          [message.controllerId, message.name ?? null, message.attributes ? JSON.stringify(message.attributes) : null],
        );
        return;
      case 'UPDATE_ATTRIBUTES': {
        const attrs = JSON.stringify(message.attributes);
        const expression = {
          merge: `attributes || $2::jsonb`,
          replace: `$2::jsonb`,
          remove: `attributes - array(select jsonb_object_keys($2::jsonb))`,
        }[message.mode ?? 'merge'];
        const result = await tx.query(
          `update ${INVENTORY_SCHEMA}.targets set attributes = ${expression}, last_modified_at = now(), last_controller_request_at = now()
           where controller_id = $1`,
          [message.controllerId, attrs],
        );
        return result.rowCount === 0 ? 'ignored' : undefined;
      }
      default:
        return 'ignored';
    }
  }
}
