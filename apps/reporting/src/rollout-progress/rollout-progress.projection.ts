import type {
  ActionsScheduledV1,
  ActionStatusChangedV1,
  ActionType,
  RolloutCreatedV1,
  RolloutGroupFinishedV1,
  RolloutGroupStartedV1,
  RolloutReadyV1,
} from '@fleetwave/contracts';
import type { HandlerContext } from '@fleetwave/messaging';
import type { Envelope } from '@fleetwave/service-kit';
import { REPORTING_SCHEMA as S } from './rollout-progress.migration';
import { Bucket, bucketDependsOnActionType, bucketOf } from './status-buckets';

/**
 * Projects rollout, group and action events into the rollout and group read models. Upserts by
 * id; the processed-message record commits in the same transaction, so each event counts once.
 */
export class RolloutProgressProjection {
  async handle(event: Envelope, { tx }: HandlerContext): Promise<void | 'ignored'> {
    const at = Date.now();
    switch (event.type) {
      case 'RolloutCreated.v1': {
        const r = event.data as RolloutCreatedV1;
        await tx.query(
          `insert into ${S}.rollouts (id, name, description, status, target_filter_query, distribution_set_id, action_type,
             weight, start_at, force_time, total_groups, created_at, created_by, last_modified_at, last_modified_by)
           values ($1, $2, $3, 'creating', $4, $5, $6, $7, $8, $9, $10, $11, $12, $11, $12) on conflict (id) do nothing`,
          [
            r.rolloutId,
            r.name,
            r.description ?? null,
            r.targetFilterQuery,
            r.distributionSet.id,
            r.actionType,
            r.weight,
            r.startAt ?? null,
            r.forceTime ?? null,
            r.groups.length,
            r.createdAt,
            r.createdBy,
          ],
        );
        await tx.query(
          `insert into ${S}.rollout_groups (id, rollout_id, index, name, description, status, target_percentage,
             success_condition, success_action, error_condition, error_action, created_at, last_modified_at)
           select (g->>'groupId')::bigint, $1, (g->>'index')::int, g->>'name', g->>'description', 'creating',
             (g->>'targetPercentage')::real, g->'successCondition', g->'successAction', g->'errorCondition', g->'errorAction', $2, $2
           from jsonb_array_elements($3::jsonb) as g on conflict (id) do nothing`,
          [r.rolloutId, r.createdAt, JSON.stringify(r.groups)],
        );
        return;
      }
      case 'RolloutReady.v1': {
        const r = event.data as RolloutReadyV1;
        await tx.query(
          `update ${S}.rollouts set status = 'ready', total_targets = $2, last_modified_at = $3 where id = $1`,
          [r.rolloutId, r.totalTargets, at],
        );
        await tx.query(
          `update ${S}.rollout_groups g set status = 'ready', total_targets = x.t, last_modified_at = $3
           from unnest($1::bigint[], $2::int[]) as x(id, t) where g.id = x.id`,
          [r.groups.map((g) => g.groupId), r.groups.map((g) => g.totalTargets), at],
        );
        return;
      }
      case 'RolloutStarted.v1':
        return this.rolloutStatus(tx, event.data, 'running', at, `and status in ('ready', 'starting')`);
      case 'RolloutFinished.v1':
        return this.rolloutStatus(tx, event.data, 'finished', at, '');
      case 'RolloutGroupStarted.v1': {
        const g = event.data as RolloutGroupStartedV1;
        await tx.query(
          `update ${S}.rollout_groups set status = 'running', last_modified_at = $2 where id = $1 and status <> 'finished'`,
          [g.groupId, at],
        );
        return;
      }
      case 'RolloutGroupFinished.v1': {
        const g = event.data as RolloutGroupFinishedV1;
        await tx.query(`update ${S}.rollout_groups set status = 'finished', last_modified_at = $2 where id = $1`, [
          g.groupId,
          at,
        ]);
        return;
      }
      case 'ActionsScheduled.v1': {
        const a = event.data as ActionsScheduledV1;
        await this.count(tx, a.rolloutId, a.groupId, { scheduled: a.count });
        // Groups not started yet show as scheduled once their actions exist.
        await tx.query(`update ${S}.rollout_groups set status = 'scheduled' where id = $1 and status = 'ready'`, [
          a.groupId,
        ]);
        return;
      }
      case 'ActionStatusChanged.v1': {
        const a = event.data as ActionStatusChangedV1;
        // The action type matters for one status only; skip the lookup on the hot path otherwise.
        const type =
          bucketDependsOnActionType(a.from) || bucketDependsOnActionType(a.to)
            ? await this.actionTypeOf(tx, a.rolloutId)
            : 'forced';
        const from = bucketOf(a.from, type);
        const to = bucketOf(a.to, type);
        if (from === to) return 'ignored';
        await this.count(tx, a.rolloutId, a.groupId, { [from]: -1, [to]: 1 });
        return;
      }
      default:
        return 'ignored';
    }
  }

  private async actionTypeOf(tx: HandlerContext['tx'], rolloutId: number): Promise<ActionType> {
    const { rows } = await tx.query<{ action_type: ActionType }>(
      `select action_type from ${S}.rollouts where id = $1`,
      [rolloutId],
    );
    return rows[0]?.action_type ?? 'forced';
  }

  private async count(
    tx: HandlerContext['tx'],
    rolloutId: number,
    groupId: number,
    deltas: Partial<Record<Bucket, number>>,
  ) {
    const buckets = Object.keys(deltas) as Bucket[];
    await tx.query(
      `insert into ${S}.group_action_counts (group_id, rollout_id, ${buckets.join(', ')})
       values ($1, $2, ${buckets.map((_, i) => `$${i + 3}`).join(', ')})
       on conflict (group_id) do update set ${buckets.map((b) => `${b} = group_action_counts.${b} + excluded.${b}`).join(', ')}`,
      [groupId, rolloutId, ...buckets.map((b) => deltas[b])],
    );
  }

  private async rolloutStatus(
    tx: HandlerContext['tx'],
    data: unknown,
    status: string,
    at: number,
    guard: string,
  ): Promise<void> {
    const { rolloutId } = data as { rolloutId: number };
    await tx.query(`update ${S}.rollouts set status = $2, last_modified_at = $3 where id = $1 ${guard}`, [
      rolloutId,
      status,
      at,
    ]);
  }
}
