import { Column, Entity, PrimaryColumn } from 'typeorm';
import { REPORTING_SCHEMA } from '../rollout-progress/rollout-progress.migration';

/** bigint columns arrive as strings from pg; ids and epoch milliseconds fit in a JS number. */
const bigintAsNumber = {
  to: (value: number) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/**
 * TypeORM mapping of reporting's read side. Rollouts and groups are read through the views of the
 * migration, which derive `status` and `lastModifiedAt` from the facts the projection stores.
 */
@Entity({ schema: REPORTING_SCHEMA, name: 'rollout_views' })
export class RolloutReadModel {
  @PrimaryColumn({ type: 'bigint', transformer: bigintAsNumber }) id!: number;
  @Column() name!: string;
  @Column({ type: 'text', nullable: true }) description!: string | null;
  @Column() status!: string;
  @Column({ name: 'target_filter_query' }) targetFilterQuery!: string;
  @Column({ name: 'distribution_set_id', type: 'bigint', transformer: bigintAsNumber }) distributionSetId!: number;
  @Column({ name: 'action_type' }) actionType!: string;
  @Column() weight!: number;
  @Column({ name: 'start_at', type: 'bigint', nullable: true, transformer: bigintAsNumber }) startAt!: number | null;
  @Column({ name: 'force_time', type: 'bigint', nullable: true, transformer: bigintAsNumber }) forceTime!:
    number | null;
  @Column({ name: 'total_targets' }) totalTargets!: number;
  @Column({ name: 'total_groups' }) totalGroups!: number;
  @Column({ name: 'created_at', type: 'bigint', transformer: bigintAsNumber }) createdAt!: number;
  @Column({ name: 'created_by' }) createdBy!: string;
  @Column({ name: 'last_modified_at', type: 'bigint', transformer: bigintAsNumber }) lastModifiedAt!: number;
  @Column({ name: 'last_modified_by' }) lastModifiedBy!: string;
  @Column({ name: 'approval_decided_by', type: 'text', nullable: true }) approvalDecidedBy!: string | null;
  @Column({ name: 'approval_remark', type: 'text', nullable: true }) approvalRemark!: string | null;
}

@Entity({ schema: REPORTING_SCHEMA, name: 'rollout_group_views' })
export class RolloutGroupReadModel {
  @PrimaryColumn({ type: 'bigint', transformer: bigintAsNumber }) id!: number;
  @Column({ name: 'rollout_id', type: 'bigint', transformer: bigintAsNumber }) rolloutId!: number;
  @Column() index!: number;
  @Column() name!: string;
  @Column({ type: 'text', nullable: true }) description!: string | null;
  @Column() status!: string;
  @Column({ name: 'target_percentage', type: 'real' }) targetPercentage!: number;
  @Column({ name: 'success_condition', type: 'jsonb' }) successCondition!: unknown;
  @Column({ name: 'success_action', type: 'jsonb' }) successAction!: unknown;
  @Column({ name: 'error_condition', type: 'jsonb' }) errorCondition!: unknown;
  @Column({ name: 'error_action', type: 'jsonb' }) errorAction!: unknown;
  @Column({ name: 'total_targets' }) totalTargets!: number;
  @Column({ name: 'created_at', type: 'bigint', transformer: bigintAsNumber }) createdAt!: number;
  @Column({ name: 'last_modified_at', type: 'bigint', transformer: bigintAsNumber }) lastModifiedAt!: number;
}

@Entity({ schema: REPORTING_SCHEMA, name: 'group_action_counts' })
export class GroupActionCounts {
  @PrimaryColumn({ name: 'group_id', type: 'bigint', transformer: bigintAsNumber }) groupId!: number;
  @Column({ name: 'rollout_id', type: 'bigint', transformer: bigintAsNumber }) rolloutId!: number;
  @Column() scheduled!: number;
  @Column() running!: number;
  @Column() finished!: number;
  @Column() error!: number;
  @Column() cancelled!: number;
}

export const readModelEntities = [RolloutReadModel, RolloutGroupReadModel, GroupActionCounts];
