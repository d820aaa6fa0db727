import type { BatchHandler } from '@fleetwave/messaging';
import type { Envelope } from '@fleetwave/service-kit';
import type { PoolClient } from 'pg';
import { REPORTING_SCHEMA as S } from '../rollout-progress/rollout-progress.migration';
import { auditSubjects, planAudit, type AuditEntry, type AuditPlan, type AuditState } from './decision-audit.plan';

/**
 * Projects rollout and group events into the decision audit, a batch at a time. The rows of the
 * batch's rollouts in `audit_rollouts` are locked first, in id order, so the rollout topic's and
 * the group topic's batches for one rollout apply one after the other and each reads the state
 * the other left.
 */
export class DecisionAuditProjection {
  readonly handleBatch: BatchHandler<Envelope> = async (items, { tx }) => {
    const subjects = auditSubjects(items);
    if (subjects.rollouts.length === 0) return { ignored: items.map((i) => i.context.messageId) };
    const plan = planAudit(items, await this.load(tx, subjects));
    await this.saveRollouts(tx, plan.rollouts);
    await this.saveGroups(tx, plan.groups);
    await this.insertEntries(tx, plan.entries);
    if (plan.removed.length > 0) {
      await tx.query(`delete from ${S}.audit_entries where rollout_id = any($1::bigint[])`, [plan.removed]);
      await tx.query(`delete from ${S}.audit_groups where rollout_id = any($1::bigint[])`, [plan.removed]);
    }
    return { ignored: plan.ignored };
  };

  private async load(tx: PoolClient, subjects: { rollouts: number[]; groups: number[] }): Promise<AuditState> {
    await tx.query(
      `insert into ${S}.audit_rollouts (rollout_id) select unnest($1::bigint[]) on conflict (rollout_id) do nothing`,
      [subjects.rollouts],
    );
    const rollouts = await tx.query<{
      rollout_id: string;
      state: string | null;
      last_at: string | null;
      removed: boolean;
    }>(
      `select rollout_id, state, last_at, removed from ${S}.audit_rollouts
       where rollout_id = any($1::bigint[]) order by rollout_id for update`,
      [subjects.rollouts],
    );
    const groups = await tx.query<{ group_id: string; rollout_id: string; index: number | null; state: string | null }>(
      `select group_id, rollout_id, index, state from ${S}.audit_groups where group_id = any($1::bigint[])`,
      [subjects.groups],
    );
    return {
      rollouts: new Map(
        rollouts.rows.map((r) => [
          Number(r.rollout_id),
          { state: r.state, lastAt: r.last_at === null ? null : Number(r.last_at), removed: r.removed },
        ]),
      ),
      groups: new Map(
        groups.rows.map((g) => [
          Number(g.group_id),
          { rolloutId: Number(g.rollout_id), index: g.index, state: g.state },
        ]),
      ),
    };
  }

  private async saveRollouts(tx: PoolClient, rollouts: AuditPlan['rollouts']): Promise<void> {
    if (rollouts.size === 0) return;
    const rows = [...rollouts].sort(([a], [b]) => a - b);
    await tx.query(
      `update ${S}.audit_rollouts a set state = x.state, last_at = x.last_at, removed = x.removed
       from unnest($1::bigint[], $2::text[], $3::bigint[], $4::boolean[]) as x(rollout_id, state, last_at, removed)
       where a.rollout_id = x.rollout_id`,
      [
        rows.map(([id]) => id),
        rows.map(([, r]) => r.state),
        rows.map(([, r]) => r.lastAt),
        rows.map(([, r]) => r.removed),
      ],
    );
  }

  /** Index comes from either topic (the same value), state from the group topic only: keep what the batch does not say. */
  private async saveGroups(tx: PoolClient, groups: AuditPlan['groups']): Promise<void> {
    if (groups.size === 0) return;
    const rows = [...groups].sort(([a], [b]) => a - b);
    await tx.query(
      `insert into ${S}.audit_groups as g (group_id, rollout_id, index, state)
       select * from unnest($1::bigint[], $2::bigint[], $3::int[], $4::text[])
       on conflict (group_id) do update set
         index = coalesce(excluded.index, g.index),
         state = coalesce(excluded.state, g.state)`,
      [
        rows.map(([id]) => id),
        rows.map(([, g]) => g.rolloutId),
        rows.map(([, g]) => g.index),
        rows.map(([, g]) => g.state),
      ],
    );
  }

  private async insertEntries(tx: PoolClient, entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await tx.query(
      `insert into ${S}.audit_entries (event_id, rollout_id, at, rank, seq, subject, group_id, from_state, to_state,
         event_type, causation_id, correlation_id, actor, reason, figures)
       select e->>'eventId', (e->>'rolloutId')::bigint, (e->>'at')::bigint, (e->>'rank')::smallint, (e->>'seq')::bigint,
         e->>'subject', (e->>'groupId')::bigint, e->>'from', e->>'to', e->>'eventType', e->>'causationId',
         e->>'correlationId', e->>'actor', e->>'reason', nullif(e->'figures', 'null'::jsonb)
       from jsonb_array_elements($1::jsonb) as e
       on conflict (event_id) do nothing`,
      [JSON.stringify(entries)],
    );
  }
}
