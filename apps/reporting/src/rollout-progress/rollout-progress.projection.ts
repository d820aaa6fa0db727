import { isEvent, type ActionType, type RolloutCreatedV1 } from '@fleetwave/contracts';
import type { BatchHandler } from '@fleetwave/messaging';
import type { Envelope } from '@fleetwave/service-kit';
import type { PoolClient } from 'pg';
import { REPORTING_SCHEMA as S } from './rollout-progress.migration';
import { notifyRolloutsChanged } from '../rollout-watch/rollout-changes.notify';
import { addDynamicGroups, growTotals } from './dynamic-groups.writes';
import {
  planProgress,
  rolloutsNeedingActionType,
  touchedRollouts,
  type GroupChange,
  type ProgressPlan,
} from './rollout-progress.plan';

/**
 * Projects rollout, group and action events into reporting's tables, a whole batch at a time:
 * the batch is folded into net effects (see {@link planProgress}) and written with one set-based
 * statement per table, in the transaction that also records the batch as processed. Status is
 * not written here; the views of the migration derive it from the stored facts.
 */
export class RolloutProgressProjection {
  /** `now` stamps the facts whose events carry no time of their own (a rollout becoming ready). */
  constructor(private readonly now: () => number = Date.now) {}

  readonly handleBatch: BatchHandler<Envelope> = async (items, { tx }) => {
    const plan = planProgress(items, await this.actionTypes(tx, items), this.now());
    await this.create(tx, plan.created);
    await this.rollouts(tx, plan.rollouts);
    await this.groupTotals(tx, plan.groupTotals);
    await addDynamicGroups(tx, S, plan.dynamic.added);
    await growTotals(tx, S, plan.dynamic.growth);
    await this.groups(tx, plan.groups);
    await this.settled(tx, plan.settled);
    await this.remove(tx, plan.removed);
    // Watchers hear of the change when (and only if) this transaction commits.
    await notifyRolloutsChanged(tx, S, touchedRollouts(plan));
    return { ignored: plan.ignored };
  };

  /** One lookup per batch, only for the rollouts whose action type decides a bucket. */
  private async actionTypes(tx: PoolClient, items: Parameters<BatchHandler<Envelope>>[0]) {
    const types = new Map<number, ActionType>();
    const ids = rolloutsNeedingActionType(items);
    if (ids.length === 0) return types;
    for (const { message } of items) {
      if (isEvent(message, 'RolloutCreated.v1')) types.set(message.data.rolloutId, message.data.actionType);
    }
    const unknown = ids.filter((id) => !types.has(id));
    if (unknown.length === 0) return types;
    const { rows } = await tx.query<{ id: string; action_type: ActionType }>(
      `select id, action_type from ${S}.rollouts where id = any($1::bigint[])`,
      [unknown],
    );
    for (const row of rows) types.set(Number(row.id), row.action_type);
    return types;
  }

  private async create(tx: PoolClient, created: RolloutCreatedV1[]): Promise<void> {
    if (created.length === 0) return;
    await tx.query(
      `insert into ${S}.rollouts (id, name, description, target_filter_query, distribution_set_id, action_type,
         weight, start_at, force_time, total_groups, created_at, created_by, last_modified_at, last_modified_by)
       select x.id, x.name, x.description, x.query, x.ds, x.type, x.weight, x.start_at, x.force_time, x.groups,
         x.created_at, x.created_by, x.created_at, x.created_by
       from unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::int[],
         $8::bigint[], $9::bigint[], $10::int[], $11::bigint[], $12::text[])
         as x(id, name, description, query, ds, type, weight, start_at, force_time, groups, created_at, created_by)
       on conflict (id) do nothing`,
      [
        created.map((r) => r.rolloutId),
        created.map((r) => r.name),
        created.map((r) => r.description ?? null),
        created.map((r) => r.targetFilterQuery),
        created.map((r) => r.distributionSet.id),
        created.map((r) => r.actionType),
        created.map((r) => r.weight),
        created.map((r) => r.startAt ?? null),
        created.map((r) => r.forceTime ?? null),
        created.map((r) => r.groups.length),
        created.map((r) => r.createdAt),
        created.map((r) => r.createdBy),
      ],
    );
    const groups = created.flatMap((r) =>
      r.groups.map((g) => ({ ...g, rolloutId: r.rolloutId, createdAt: r.createdAt })),
    );
    await tx.query(
      `insert into ${S}.rollout_groups (id, rollout_id, index, name, description, target_percentage,
         success_condition, success_action, error_condition, error_action, created_at, last_modified_at)
       select (g->>'groupId')::bigint, (g->>'rolloutId')::bigint, (g->>'index')::int, g->>'name', g->>'description',
         (g->>'targetPercentage')::real, g->'successCondition', g->'successAction', g->'errorCondition',
         g->'errorAction', (g->>'createdAt')::bigint, (g->>'createdAt')::bigint
       from jsonb_array_elements($1::jsonb) as g
       on conflict (id) do nothing`,
      [JSON.stringify(groups)],
    );
  }

  /**
   * The first value of each fact wins, so a re-applied event changes nothing; state, last
   * modification, approval and name are the batch's last word (null: the batch said nothing).
   */
  private async rollouts(tx: PoolClient, changes: ProgressPlan['rollouts']): Promise<void> {
    if (changes.length === 0) return;
    await tx.query(
      `update ${S}.rollouts r set
         total_targets = case when r.ready_at is null then coalesce(x.total, r.total_targets) else r.total_targets end,
         ready_at = coalesce(r.ready_at, x.ready_at),
         started_at = coalesce(r.started_at, x.started_at),
         finished_at = coalesce(r.finished_at, x.finished_at),
         state = coalesce(x.state, r.state),
         last_modified_at = coalesce(x.modified_at, r.last_modified_at),
         last_modified_by = case when x.modified_at is null then r.last_modified_by
           else coalesce(x.modified_by, r.last_modified_by) end,
         terminal_at = coalesce(x.terminal_at, r.terminal_at),
         terminal_by = case when x.terminal_at is null then r.terminal_by else x.terminal_by end,
         approval_decided_by = coalesce(x.decided_by, r.approval_decided_by),
         approval_remark = case when x.decided_by is null then r.approval_remark else x.remark end,
         name = coalesce(x.name, r.name),
         description = coalesce(x.description, r.description)
       from unnest($1::bigint[], $2::int[], $3::bigint[], $4::bigint[], $5::bigint[], $6::text[], $7::bigint[],
         $8::text[], $9::bigint[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[])
         as x(id, total, ready_at, started_at, finished_at, state, modified_at, modified_by, terminal_at,
           terminal_by, decided_by, remark, name, description)
       where r.id = x.id`,
      [
        changes.map((c) => c.rolloutId),
        changes.map((c) => c.totalTargets),
        changes.map((c) => c.readyAt),
        changes.map((c) => c.startedAt),
        changes.map((c) => c.finishedAt),
        changes.map((c) => c.state),
        changes.map((c) => c.modifiedAt),
        changes.map((c) => c.modifiedBy),
        changes.map((c) => c.terminalAt),
        changes.map((c) => c.terminalBy),
        changes.map((c) => c.approvalDecidedBy),
        changes.map((c) => c.approvalRemark),
        changes.map((c) => c.name),
        changes.map((c) => c.description),
      ],
    );
  }

  /** The action topic's word that a rollout's actions are all final; the first one wins. */
  private async settled(tx: PoolClient, settled: ProgressPlan['settled']): Promise<void> {
    if (settled.length === 0) return;
    await tx.query(
      `insert into ${S}.rollout_action_facts (rollout_id, settled_at)
       select * from unnest($1::bigint[], $2::bigint[])
       on conflict (rollout_id) do nothing`,
      [settled.map((s) => s.rolloutId), settled.map((s) => s.settledAt)],
    );
  }

  /** A removed rollout is gone from every table, after the batch's other writes for it. */
  private async remove(tx: PoolClient, removed: number[]): Promise<void> {
    if (removed.length === 0) return;
    await tx.query(`delete from ${S}.group_action_counts where rollout_id = any($1::bigint[])`, [removed]);
    await tx.query(`delete from ${S}.rollout_groups where rollout_id = any($1::bigint[])`, [removed]);
    await tx.query(`delete from ${S}.rollout_action_facts where rollout_id = any($1::bigint[])`, [removed]);
    await tx.query(`delete from ${S}.rollouts where id = any($1::bigint[])`, [removed]);
  }

  private async groupTotals(tx: PoolClient, totals: ProgressPlan['groupTotals']): Promise<void> {
    if (totals.length === 0) return;
    await tx.query(
      `update ${S}.rollout_groups g set total_targets = x.total
       from unnest($1::bigint[], $2::int[]) as x(id, total) where g.id = x.id`,
      [totals.map((t) => t.groupId), totals.map((t) => t.totalTargets)],
    );
  }

  /** Count deltas add up; lifecycle facts keep their first value. */
  private async groups(tx: PoolClient, changes: GroupChange[]): Promise<void> {
    if (changes.length === 0) return;
    await tx.query(
      `insert into ${S}.group_action_counts as c
         (group_id, rollout_id, scheduled, running, finished, error, cancelled, started_at, finished_at, failed_at)
       select * from unnest($1::bigint[], $2::bigint[], $3::int[], $4::int[], $5::int[], $6::int[], $7::int[],
         $8::bigint[], $9::bigint[], $10::bigint[])
       on conflict (group_id) do update set
         scheduled = c.scheduled + excluded.scheduled,
         running = c.running + excluded.running,
         finished = c.finished + excluded.finished,
         error = c.error + excluded.error,
         cancelled = c.cancelled + excluded.cancelled,
         started_at = coalesce(c.started_at, excluded.started_at),
         finished_at = coalesce(c.finished_at, excluded.finished_at),
         failed_at = coalesce(c.failed_at, excluded.failed_at)`,
      [
        changes.map((g) => g.groupId),
        changes.map((g) => g.rolloutId),
        changes.map((g) => g.deltas.scheduled),
        changes.map((g) => g.deltas.running),
        changes.map((g) => g.deltas.finished),
        changes.map((g) => g.deltas.error),
        changes.map((g) => g.deltas.cancelled),
        changes.map((g) => g.startedAt),
        changes.map((g) => g.finishedAt),
        changes.map((g) => g.failedAt),
      ],
    );
  }
}
