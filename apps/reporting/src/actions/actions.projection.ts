import type { BatchHandler } from '@fleetwave/messaging';
import type { Envelope } from '@fleetwave/service-kit';
import type { PoolClient } from 'pg';
import { REPORTING_SCHEMA as S } from '../rollout-progress/rollout-progress.migration';
import { planActions, type ActionsPlan } from './actions.plan';
import { STATUS_ENTRIES_PER_ACTION } from './queries/action.views';

type StatusChange = ActionsPlan['changes'][number];

/**
 * The columns a batch's status changes are sent in, one array each: typed arrays cost Postgres
 * less to read than a JSON document of rows. Messages travel as a JSON array, null when none.
 */
const changeColumns: [name: string, type: string, value: (c: StatusChange) => unknown][] = [
  ['ord', 'int', (c) => c.ord],
  ['"actionId"', 'bigint', (c) => c.actionId],
  ['"rolloutId"', 'bigint', (c) => c.rolloutId],
  ['"groupId"', 'bigint', (c) => c.groupId],
  ['"targetId"', 'bigint', (c) => c.targetId],
  ['"controllerId"', 'text', (c) => c.controllerId],
  ['status', 'text', (c) => c.status],
  ['messages', 'text', (c) => (c.messages.length > 0 ? JSON.stringify(c.messages) : null)],
  ['code', 'int', (c) => c.code],
  ['"occurredAt"', 'bigint', (c) => c.occurredAt],
  ['"reportedAt"', 'bigint', (c) => c.reportedAt],
];

/** The parameters of {@link changeRows}: one array per column. */
const changeArrays = (changes: StatusChange[]): unknown[] => changeColumns.map(([, , value]) => changes.map(value));

/** The rows of {@link changeArrays}, given as the parameters from `$first` on. */
const changeRows = (first: number): string =>
  `unnest(${changeColumns.map(([, type], i) => `$${first + i}::${type}[]`).join(', ')})
     as x(${changeColumns.map(([name]) => name).join(', ')})`;

/**
 * Projects action and rollout events into the actions read model, a whole batch at a time: one
 * set-based statement per table, in the transaction that records the batch as processed (so a
 * redelivered batch is dropped before it gets here). The statements are also safe to re-apply:
 * facts are inserted `on conflict do nothing`, and a status only replaces an older one.
 */
export class ActionsProjection {
  readonly handleBatch: BatchHandler<Envelope> = async (items, { tx }) => {
    const plan = planActions(items);
    await this.rollouts(tx, plan);
    await this.scheduled(tx, plan.scheduled);
    await this.changes(tx, plan.changes);
    return { ignored: plan.ignored };
  };

  private async rollouts(tx: PoolClient, plan: ActionsPlan): Promise<void> {
    const { rollouts, renamed, groups, removed } = plan;
    if (rollouts.length > 0) {
      await tx.query(
        `insert into ${S}.action_rollouts (rollout_id, name, action_type, weight, force_time, distribution_set_id,
           distribution_set_name, distribution_set_version, created_by)
         select * from jsonb_to_recordset($1::jsonb) as x("rolloutId" bigint, name text, "actionType" text,
           weight int, "forceTime" bigint, "distributionSetId" bigint, "distributionSetName" text,
           "distributionSetVersion" text, "createdBy" text)
         on conflict (rollout_id) do nothing`,
        [JSON.stringify(rollouts)],
      );
    }
    if (groups.length > 0) {
      await tx.query(
        `insert into ${S}.action_groups (group_id, rollout_id, name)
         select * from jsonb_to_recordset($1::jsonb) as x("groupId" bigint, "rolloutId" bigint, name text)
         on conflict (group_id) do nothing`,
        [JSON.stringify(groups)],
      );
    }
    if (renamed.length > 0) {
      await tx.query(
        `update ${S}.action_rollouts r set name = x.name
         from unnest($1::bigint[], $2::text[]) as x(id, name) where r.rollout_id = x.id`,
        [renamed.map((r) => r.rolloutId), renamed.map((r) => r.name)],
      );
    }
    // Only a rollout that never started is removed: it has no actions, only its names go.
    if (removed.length > 0) {
      await tx.query(`delete from ${S}.action_groups where rollout_id = any($1::bigint[])`, [removed]);
      await tx.query(`delete from ${S}.action_rollouts where rollout_id = any($1::bigint[])`, [removed]);
    }
  }

  /** Rows and history entry 0; a status change projected first keeps its status, the earlier creation time wins. */
  private async scheduled(tx: PoolClient, scheduled: ActionsPlan['scheduled']): Promise<void> {
    if (scheduled.length === 0) return;
    await tx.query(
      `with x as (
         select * from unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::bigint[],
           $7::bigint[]) as x("actionId", "rolloutId", "groupId", "targetId", "controllerId", at, "reportedAt")),
       created as (
         insert into ${S}.actions as a (id, rollout_id, group_id, target_id, controller_id, status, status_seq,
           created_at, last_modified_at)
         select x."actionId", x."rolloutId", x."groupId", x."targetId", x."controllerId", 'scheduled', 0, x.at, x.at
         from x order by x."actionId"
         on conflict (id) do update set created_at = least(a.created_at, excluded.created_at)
           where excluded.created_at < a.created_at)
       insert into ${S}.action_status_history (action_id, seq, status, reported_at, occurred_at)
       select x."actionId", 0, 'scheduled', x."reportedAt", x.at from x
       on conflict (action_id, seq) do nothing`,
      [
        scheduled.map((a) => a.actionId),
        scheduled.map((a) => a.rolloutId),
        scheduled.map((a) => a.groupId),
        scheduled.map((a) => a.targetId),
        scheduled.map((a) => a.controllerId),
        scheduled.map((a) => a.at),
        scheduled.map((a) => a.reportedAt),
      ],
    );
  }

  /**
   * History entries numbered per action after the last one the action took (its `status_seq`),
   * in batch order; each action then takes the status and time of its newest change and the code
   * of its newest change with a code (one grouping pass over the batch, not a lookup per row). An
   * action whose scheduling was not projected (yet) gets its row from the change itself. Past
   * {@link STATUS_ENTRIES_PER_ACTION} entries, hawkBit's quota, the status still moves on but no
   * further entry is kept.
   */
  private async changes(tx: PoolClient, changes: ActionsPlan['changes']): Promise<void> {
    if (changes.length === 0) return;
    const unknown = await this.applyChanges(tx, changes);
    if (unknown.size === 0) return;
    const early = changes.filter((c) => unknown.has(String(c.actionId)));
    await tx.query(
      `insert into ${S}.actions (id, rollout_id, group_id, target_id, controller_id, status, status_seq,
         created_at, last_modified_at)
       select distinct on (x."actionId") x."actionId", x."rolloutId", x."groupId", x."targetId", x."controllerId",
         'scheduled', -1, x."occurredAt", x."occurredAt"
       from ${changeRows(1)}
       order by x."actionId", x.ord
       on conflict (id) do nothing`,
      changeArrays(early),
    );
    await this.applyChanges(tx, early);
  }

  /**
   * One statement for the changes of actions that have a row; returns the ids of the actions
   * that have none (their scheduling is not projected yet), whose changes it left alone.
   */
  private async applyChanges(tx: PoolClient, changes: ActionsPlan['changes']): Promise<Set<string>> {
    const { rows } = await tx.query<{ id: string }>(
      `with x as (select * from ${changeRows(2)}),
       numbered as (
         select x.*, greatest(a.status_seq, 0) + row_number() over (partition by x."actionId" order by x.ord) as seq
         from x join ${S}.actions a on a.id = x."actionId"),
       kept as (
         insert into ${S}.action_status_history (action_id, seq, status, messages, code, reported_at, occurred_at)
         select "actionId", seq, status,
           case when messages is null then '{}' else array(select jsonb_array_elements_text(messages::jsonb)) end,
           code, "reportedAt", "occurredAt"
         from numbered where seq < $1 order by "actionId", seq
         on conflict (action_id, seq) do nothing),
       codes as (
         select "actionId", (array_agg(code order by seq desc) filter (where code is not null))[1] as code
         from numbered group by "actionId"),
       latest as (
         select distinct on (n."actionId") n."actionId" as action_id, n.seq, n.status, n."occurredAt" as occurred_at,
           c.code
         from numbered n join codes c on c."actionId" = n."actionId"
         order by n."actionId", n.seq desc),
       moved as (
         update ${S}.actions a set status = l.status, status_seq = l.seq,
           last_modified_at = greatest(a.last_modified_at, l.occurred_at),
           last_status_code = coalesce(l.code, a.last_status_code)
         from latest l where a.id = l.action_id and l.seq > a.status_seq)
       select distinct x."actionId" as id from x where x."actionId" not in (select "actionId" from numbered)`,
      [STATUS_ENTRIES_PER_ACTION, ...changeArrays(changes)],
    );
    return new Set(rows.map((r) => r.id));
  }
}
