import type { SqlExecutor } from '@fleetwave/event-store';
import type { TargetStatus } from './target-status.rules';

interface TargetStatusRow {
  id: string;
  update_status: string;
  assigned_ds_id: string | null;
  installed_ds_id: string | null;
  status_action_id: string | null;
  status_action_at: string | null;
  installed_action_id: string | null;
  installed_action_at: string | null;
  contacted: boolean;
}

const num = (value: string | null): number | null => (value === null ? null : Number(value));

/** A target's failed action in a rollout: what a retry of that rollout takes. */
export interface FailedTarget {
  rolloutId: number;
  targetId: number;
  actionId: number;
  failedAt: number;
}

/** Per rollout, how many actions were scheduled and how many settled (became final) in a batch. */
export interface TallyDelta {
  rolloutId: number;
  scheduled: number;
  settled: number;
}

/** The targets' action-driven columns and the per-rollout outcome tables, each written set-based. */
export class TargetStatusStore {
  constructor(private readonly schema: string) {}

  /**
   * The targets a batch touches, locked until the batch commits. Locked in id order, so that two
   * partitions' batches touching the same targets wait for each other instead of deadlocking.
   */
  async lock(tx: SqlExecutor, targetIds: number[]): Promise<TargetStatus[]> {
    if (targetIds.length === 0) return [];
    const { rows } = await tx.query<TargetStatusRow>(
      `select id, update_status, assigned_ds_id, installed_ds_id, status_action_id, status_action_at,
              installed_action_id, installed_action_at, last_controller_request_at is not null as contacted
       from ${this.schema}.targets where id = any($1::bigint[]) order by id for update`,
      [targetIds],
    );
    return rows.map((r) => ({
      targetId: Number(r.id),
      updateStatus: r.update_status,
      assignedDsId: num(r.assigned_ds_id),
      installedDsId: num(r.installed_ds_id),
      statusActionId: num(r.status_action_id),
      statusActionAt: num(r.status_action_at),
      installedActionId: num(r.installed_action_id),
      installedActionAt: num(r.installed_action_at),
      contacted: r.contacted,
    }));
  }

  /**
   * Writes the targets' new statuses in one statement, with the sets' names and versions copied
   * for the target filter's assignedds / installedds fields. lastModifiedAt moves only when what
   * the API shows changed.
   */
  async write(tx: SqlExecutor, targets: TargetStatus[]): Promise<void> {
    if (targets.length === 0) return;
    await tx.query(
      `update ${this.schema}.targets t set
         last_modified_at = case when (t.update_status, t.assigned_ds_id, t.installed_ds_id)
                                      is distinct from (x.status, x.assigned, x.installed)
                                 then now() else t.last_modified_at end,
         update_status = x.status,
         assigned_ds_id = x.assigned, assigned_ds_name = da.name, assigned_ds_version = da.version,
         installed_ds_id = x.installed, installed_ds_name = di.name, installed_ds_version = di.version,
         status_action_id = x.status_action, status_action_at = x.status_at,
         installed_action_id = x.installed_action, installed_action_at = x.installed_at
       from unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[])
              as x(id, status, assigned, installed, status_action, status_at, installed_action, installed_at)
       left join ${this.schema}.distribution_sets da on da.id = x.assigned
       left join ${this.schema}.distribution_sets di on di.id = x.installed
       where t.id = x.id`,
      [
        targets.map((t) => t.targetId),
        targets.map((t) => t.updateStatus),
        targets.map((t) => t.assignedDsId),
        targets.map((t) => t.installedDsId),
        targets.map((t) => t.statusActionId),
        targets.map((t) => t.statusActionAt),
        targets.map((t) => t.installedActionId),
        targets.map((t) => t.installedActionAt),
      ],
    );
  }

  /** Records failed targets per rollout; one action per target per rollout, so a repeat changes nothing. */
  async recordFailures(tx: SqlExecutor, failures: FailedTarget[]): Promise<void> {
    if (failures.length === 0) return;
    await tx.query(
      `insert into ${this.schema}.rollout_failed_targets (rollout_id, target_id, action_id, failed_at)
       select * from unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[])
       on conflict (rollout_id, target_id) do nothing`,
      [
        failures.map((f) => f.rolloutId),
        failures.map((f) => f.targetId),
        failures.map((f) => f.actionId),
        failures.map((f) => f.failedAt),
      ],
    );
  }

  /**
   * Adds a batch's scheduled and settled actions to the rollouts' tallies. Exact because the
   * consumer's processed-message record commits with it: a redelivered message is not counted again.
   */
  async addToTally(tx: SqlExecutor, deltas: TallyDelta[]): Promise<void> {
    if (deltas.length === 0) return;
    await tx.query(
      `insert into ${this.schema}.rollout_action_tally as tally (rollout_id, scheduled, settled)
       select * from unnest($1::bigint[], $2::bigint[], $3::bigint[])
       on conflict (rollout_id) do update
         set scheduled = tally.scheduled + excluded.scheduled, settled = tally.settled + excluded.settled`,
      [deltas.map((d) => d.rolloutId), deltas.map((d) => d.scheduled), deltas.map((d) => d.settled)],
    );
  }
}
