import {
  isEvent,
  type RolloutCreatedV1,
  type RolloutGroupAddedV1,
  type RolloutGroupMembersAssignedV1,
} from '@fleetwave/contracts';
import type { SqlExecutor } from '@fleetwave/event-store';
import type { BatchHandler, BatchResult } from '@fleetwave/messaging';
import type { Envelope } from '@fleetwave/service-kit';
import type { DispatchDeps } from '../action-streams';
import { notifyDispatch } from '../dispatch/dispatch-work.queries';
import { actOnLateMembers, type NewMember } from '../late-members';
import { endRollout, forgetRollouts } from '../rollout-endings';

/**
 * Rollout lifecycle in: remembers what to deliver and to whom; on start, records that its
 * groups' actions are to be created, which the dispatch worker then does in short chunks, group
 * 1 first. On stop or delete of a started rollout, its actions are cancelled (in chunks, by the
 * worker); a rollout removed, or stopped before it started, is forgotten. Definitions and
 * members of a batch are written with one statement each; any other event first writes what
 * preceded it in the batch, so it sees the same state as in Kafka order.
 */
export class RolloutEventsConsumer {
  constructor(private readonly deps: DispatchDeps) {}

  readonly handleBatch: BatchHandler<Envelope> = async (items, { tx }) => {
    const result: Required<BatchResult> = { rejected: [], ignored: [] };
    let created: RolloutCreatedV1[] = [];
    let added: RolloutGroupAddedV1[] = [];
    let assigned: RolloutGroupMembersAssignedV1[] = [];
    const flush = async (): Promise<void> => {
      await this.remember(tx, created);
      await this.addGroups(tx, added);
      // Members a started rollout takes in (a dynamic rollout's intake) get their actions at once.
      await actOnLateMembers(this.deps, tx, await this.assign(tx, assigned));
      created = [];
      added = [];
      assigned = [];
    };
    for (const { message, context } of items) {
      if (isEvent(message, 'RolloutCreated.v1')) {
        const problem = invalidRollout(message.data);
        if (problem) result.rejected.push({ messageId: context.messageId, reason: problem });
        else created.push(message.data);
      } else if (isEvent(message, 'RolloutGroupAdded.v1')) {
        added.push(message.data);
      } else if (isEvent(message, 'RolloutGroupMembersAssigned.v1')) {
        assigned.push(message.data);
      } else if (isEvent(message, 'RolloutStarted.v1')) {
        await flush();
        const { rolloutId, confirmationFlowEnabled } = message.data;
        if (!(await this.start(tx, rolloutId, confirmationFlowEnabled))) result.ignored.push(context.messageId);
      } else if (isEvent(message, 'RolloutStopping.v1') || isEvent(message, 'RolloutDeleting.v1')) {
        await flush();
        const ending = message.type === 'RolloutStopping.v1' ? 'STOPPED' : 'DELETED';
        const ignored = await endRollout(this.deps, tx, message.data.rolloutId, ending);
        if (ignored) result.ignored.push(context.messageId);
      } else if (isEvent(message, 'RolloutStopped.v1') || isEvent(message, 'RolloutRemoved.v1')) {
        await flush();
        const unstartedOnly = message.type === 'RolloutStopped.v1';
        const forgotten = await forgetRollouts(this.deps, tx, [message.data.rolloutId], unstartedOnly);
        if (forgotten.length === 0) result.ignored.push(context.messageId);
      } else {
        result.ignored.push(context.messageId);
      }
    }
    await flush();
    return result;
  };

  private async remember(tx: SqlExecutor, rollouts: RolloutCreatedV1[]): Promise<void> {
    if (rollouts.length === 0) return;
    await tx.query(
      `insert into ${this.deps.schema}.rollouts (rollout_id, distribution_set, action_type, force_time, weight)
       select * from unnest($1::bigint[], $2::jsonb[], $3::text[], $4::bigint[], $5::int[])
       on conflict (rollout_id) do nothing`,
      [
        rollouts.map((r) => r.rolloutId),
        rollouts.map((r) => JSON.stringify(r.distributionSet)),
        rollouts.map((r) => r.actionType),
        rollouts.map((r) => r.forceTime ?? null),
        rollouts.map((r) => r.weight),
      ],
    );
    const groups = rollouts.flatMap((r) => r.groups.map((g) => ({ ...g, rolloutId: r.rolloutId })));
    await tx.query(
      `insert into ${this.deps.schema}.rollout_groups (group_id, rollout_id, position, confirmation_required)
       select * from unnest($1::bigint[], $2::bigint[], $3::int[], $4::boolean[]) on conflict do nothing`,
      [
        groups.map((g) => g.groupId),
        groups.map((g) => g.rolloutId),
        groups.map((g) => g.index),
        groups.map((g) => g.confirmationRequired === true),
      ],
    );
  }

  /** A dynamic rollout's next group: known like the groups of its definition. */
  private async addGroups(tx: SqlExecutor, added: RolloutGroupAddedV1[]): Promise<void> {
    if (added.length === 0) return;
    await tx.query(
      `insert into ${this.deps.schema}.rollout_groups (group_id, rollout_id, position, confirmation_required)
       select * from unnest($1::bigint[], $2::bigint[], $3::int[], $4::boolean[]) on conflict do nothing`,
      [
        added.map((a) => a.group.groupId),
        added.map((a) => a.rolloutId),
        added.map((a) => a.group.index),
        added.map((a) => a.group.confirmationRequired === true),
      ],
    );
  }

  /** Records the chunks' members; returns those not recorded before (a redelivered chunk returns none). */
  private async assign(tx: SqlExecutor, chunks: RolloutGroupMembersAssignedV1[]): Promise<NewMember[]> {
    const members = chunks.flatMap((c) => c.members.map((m) => ({ ...m, rolloutId: c.rolloutId, groupId: c.groupId })));
    if (members.length === 0) return [];
    const { rows } = await tx.query<NewMember>(
      `insert into ${this.deps.schema}.group_members (rollout_id, group_id, target_id, controller_id)
       select * from unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[]) on conflict do nothing
       returning rollout_id, group_id, target_id, controller_id`,
      [
        members.map((m) => m.rolloutId),
        members.map((m) => m.groupId),
        members.map((m) => m.targetId),
        members.map((m) => m.controllerId),
      ],
    );
    return rows;
  }

  /**
   * Flags the rollout started and queues the creation of each group's actions in group order;
   * quick whatever the rollout's size. False when the rollout had started. The tenant's
   * confirmation flow at the start is kept with the rollout: off, no group of it waits for
   * confirmation, whatever it asked for (also a group added later); absent (older events), each
   * group's own flag decides.
   */
  private async start(tx: SqlExecutor, rolloutId: number, confirmationFlowEnabled?: boolean): Promise<boolean> {
    const { schema } = this.deps;
    const flagged = await tx.query(
      `update ${schema}.rollouts set started = true, confirmation_flow_enabled = $2
        where rollout_id = $1 and not started`,
      [rolloutId, confirmationFlowEnabled ?? null],
    );
    if (flagged.rowCount === 0) return false;
    const queued = await tx.query(
      `insert into ${schema}.dispatch_work (group_id, kind, rollout_id, position)
       select group_id, 'create', rollout_id, position from ${schema}.rollout_groups where rollout_id = $1
       on conflict do nothing`,
      [rolloutId],
    );
    if (queued.rowCount === 0) {
      // A rollout defined before its groups were recorded: its groups are known from its members.
      await tx.query(
        `insert into ${schema}.dispatch_work (group_id, kind, rollout_id, position)
         select group_id, 'create', $1, dense_rank() over (order by group_id)
           from (select distinct group_id from ${schema}.group_members where rollout_id = $1) g
         on conflict do nothing`,
        [rolloutId],
      );
    }
    await notifyDispatch(tx, schema);
    return true;
  }
}

/** Values Postgres would refuse for the whole statement; refused here so the rest of the batch applies. */
function invalidRollout(r: RolloutCreatedV1): string | undefined {
  if (!Number.isSafeInteger(r.rolloutId) || r.rolloutId <= 0) return `rolloutId ${r.rolloutId} is not a valid id`;
  if (r.forceTime !== undefined && r.forceTime !== null && !Number.isSafeInteger(r.forceTime)) {
    return `forceTime ${r.forceTime} is not epoch milliseconds`;
  }
  if (!Number.isInteger(r.weight) || Math.abs(r.weight) > 2_147_483_647) return `weight ${r.weight} is not an integer`;
  return undefined;
}
