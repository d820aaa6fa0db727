import type { RolloutGroupAddedV1 } from '@fleetwave/contracts';
import type { PoolClient } from 'pg';
import type { MemberGrowth } from './dynamic-groups.plan';

/**
 * A dynamic rollout's next groups: a group row each (empty: its members come after), and the
 * rollout's group count grows by the rows actually inserted, so a re-applied event counts once.
 */
export async function addDynamicGroups(tx: PoolClient, S: string, added: RolloutGroupAddedV1[]): Promise<void> {
  if (added.length === 0) return;
  const groups = added.map((a) => ({ ...a.group, rolloutId: a.rolloutId, createdAt: a.addedAt }));
  await tx.query(
    `with inserted as (
       insert into ${S}.rollout_groups (id, rollout_id, index, name, description, target_percentage,
         success_condition, success_action, error_condition, error_action, created_at, last_modified_at)
       select (g->>'groupId')::bigint, (g->>'rolloutId')::bigint, (g->>'index')::int, g->>'name', g->>'description',
         (g->>'targetPercentage')::real, g->'successCondition', g->'successAction', g->'errorCondition',
         g->'errorAction', (g->>'createdAt')::bigint, (g->>'createdAt')::bigint
       from jsonb_array_elements($1::jsonb) as g
       on conflict (id) do nothing
       returning rollout_id)
     update ${S}.rollouts r set total_groups = r.total_groups + n.count
       from (select rollout_id, count(*)::int as count from inserted group by rollout_id) n
      where r.id = n.rollout_id`,
    [JSON.stringify(groups)],
  );
}

/**
 * Members taken in after ready grow the group's and the rollout's totals (ready fixed them for
 * what was assigned before). Growth of a rollout not ready by this batch is dropped: the ready
 * event to come counts those members.
 */
export async function growTotals(tx: PoolClient, S: string, growth: MemberGrowth[]): Promise<void> {
  if (growth.length === 0) return;
  await tx.query(
    `with x as (
       select x.* from unnest($1::bigint[], $2::bigint[], $3::int[], $4::boolean[])
         as x(rollout_id, group_id, added, after_ready)
       join ${S}.rollouts r on r.id = x.rollout_id
      where x.after_ready or r.ready_at is not null),
     grown as (
       update ${S}.rollout_groups g set total_targets = g.total_targets + x.added
         from x where g.id = x.group_id returning g.id)
     update ${S}.rollouts r set total_targets = r.total_targets + s.added
       from (select rollout_id, sum(added)::int as added from x group by rollout_id) s
      where r.id = s.rollout_id`,
    [
      growth.map((g) => g.rolloutId),
      growth.map((g) => g.groupId),
      growth.map((g) => g.added),
      growth.map((g) => g.afterReadyInBatch),
    ],
  );
}
