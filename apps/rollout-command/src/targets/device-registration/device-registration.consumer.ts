import type { DeviceInboundMessage } from '@fleetwave/contracts';
import type { SqlExecutor } from '@fleetwave/event-store';
import type { BatchContext, BatchItem, BatchResult } from '@fleetwave/messaging';
import { planRegistration, type RegisterTarget, type UpdateAttributes } from './registration-plan';
import { notifyTargetsAdded } from '../../rollouts/processes/dynamic-intake.worker';

/**
 * Keeps the target inventory in step with what device connectors report: THING_CREATED
 * registers (or refreshes) a target, UPDATE_ATTRIBUTES changes its attributes. A whole Kafka
 * batch applies with a few set-based statements (see {@link planRegistration}); messages that
 * are not registration messages (null: not device input at all) are ignored here.
 */
export class DeviceRegistrationConsumer {
  constructor(private readonly schema: string) {}

  async handleBatch(items: BatchItem<DeviceInboundMessage | null>[], { tx }: BatchContext): Promise<BatchResult> {
    const ignored: string[] = [];
    const inputs = [];
    for (const { message, context } of items) {
      if (message && (message.type === 'THING_CREATED' || message.type === 'UPDATE_ATTRIBUTES')) {
        inputs.push({ message, messageId: context.messageId });
      } else {
        ignored.push(context.messageId);
      }
    }
    for (const wave of planRegistration(inputs)) {
      if (wave.registers.length > 0) await this.register(tx, wave.registers);
      if (wave.updates.length > 0) ignored.push(...(await this.update(tx, wave.updates)));
    }
    return { ignored };
  }

  private async register(tx: SqlExecutor, targets: RegisterTarget[]): Promise<void> {
    // `xmax = 0` tells a row this statement inserted from one it updated on conflict.
    const { rows } = await tx.query<{ controller_id: string }>(
      `with upserted as (
       insert into ${this.schema}.targets
         (controller_id, name, attributes, created_by, last_modified_by, last_controller_request_at)
       select c, coalesce(n, c), coalesce(a, '{}'::jsonb), 'device', 'device', now()
       from unnest($1::text[], $2::text[], $3::jsonb[]) as x(c, n, a)
       on conflict (controller_id) do update set
         attributes = targets.attributes || excluded.attributes,
         last_controller_request_at = now(), last_modified_at = now(), last_modified_by = 'device'
       returning controller_id, (xmax = 0) as inserted)
       select controller_id from upserted where not inserted`,
      [
        targets.map((t) => t.controllerId),
        targets.map((t) => t.name ?? null),
        targets.map((t) => (t.attributes ? JSON.stringify(t.attributes) : null)),
      ],
    );
    // A known device keeps its name unless the message names it; `excluded.name` is already
    // defaulted, so the upsert cannot tell the two apart and renames of known devices follow.
    const known = new Set(rows.map((r) => r.controller_id));
    // New devices may join running dynamic rollouts: their intake wakes when this batch commits.
    if (known.size < targets.length) await notifyTargetsAdded(tx, this.schema);
    const renamed = targets.filter((t) => t.name !== undefined && known.has(t.controllerId));
    if (renamed.length === 0) return;
    await tx.query(
      `update ${this.schema}.targets t set name = x.n
       from unnest($1::text[], $2::text[]) as x(c, n)
       where t.controller_id = x.c and t.name is distinct from x.n`,
      [renamed.map((t) => t.controllerId), renamed.map((t) => t.name)],
    );
  }

  /** Returns the message ids of updates for devices that are not registered (no effect). */
  private async update(tx: SqlExecutor, updates: UpdateAttributes[]): Promise<string[]> {
    const { rows } = await tx.query<{ controller_id: string }>(
      `update ${this.schema}.targets t set
         attributes = case when x.replace then x.merge
                           else (t.attributes - array(select jsonb_array_elements_text(x.remove))) || x.merge end,
         last_modified_at = now(), last_controller_request_at = now()
       from unnest($1::text[], $2::boolean[], $3::jsonb[], $4::jsonb[]) as x(c, replace, remove, merge)
       where t.controller_id = x.c
       returning t.controller_id`,
      [
        updates.map((u) => u.controllerId),
        updates.map((u) => u.replace),
        updates.map((u) => JSON.stringify(u.remove)),
        updates.map((u) => JSON.stringify(u.merge)),
      ],
    );
    const applied = new Set(rows.map((r) => r.controller_id));
    return updates.filter((u) => !applied.has(u.controllerId)).flatMap((u) => u.messageIds);
  }
}
