import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import type { RolloutCreatedV1, RolloutGroupDefinition } from '@fleetwave/contracts';
import { withTransaction } from '@fleetwave/platform';
import { DATABASE_POOL } from '../../../shared/tokens';
import { ApplicationError } from '../../../shared/application-error';
import { INVENTORY_SCHEMA } from '../../../inventory/inventory.migration';
import { TargetResolver } from '../../processes/target-resolver';
import { CreationProgressStore } from '../../processes/creation-progress.store';
import { RolloutCreationWorker } from '../../processes/rollout-creation.worker';
import { ScheduledStartStore } from '../../processes/scheduled-start.store';
import { DynamicIntakeStore } from '../../processes/dynamic-intake.store';
import { dynamicTemplateOf, firstDynamicGroup } from '../../domain/dynamic-rollout';
import { RolloutRepository } from '../../rollout.repository';
import { SystemConfigStore } from '../../../system/system-config.store';
import { needsApproval } from '../../domain/approval-policy';
import { groupCountViolation, groupSizeViolation, type RolloutQuotas } from '../../domain/rollout-quotas';
import { ROLLOUT_QUOTAS } from '../../rollout-quotas.config';
import type { RolloutDefinition } from '@fleetwave/contracts';
import { quotaExceeded, rolloutVerificationFailed } from './create-rollout.errors';
import { GroupSplitPlanner } from './group-split.planner';

export class CreateRolloutCommand {
  constructor(
    readonly body: RolloutDefinition,
    readonly user: string,
    readonly now: number,
    /** The caller's permissions as the gateway forwards them (a creator without APPROVE_ROLLOUT may need an approval). */
    readonly permissions: readonly string[],
  ) {}
}

/**
 * Validates, plans the split with counts (so that uncovered targets and the per-group quota are
 * refused before the 201), allocates ids and records RolloutCreated together with the creation's
 * progress row and its startAt timer; membership is then written asynchronously, chunk by chunk,
 * by the creation worker.
 */
@CommandHandler(CreateRolloutCommand)
export class CreateRolloutHandler implements ICommandHandler<
  CreateRolloutCommand,
  RolloutCreatedV1 & { totalTargets: number }
> {
  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    private readonly resolver: TargetResolver,
    private readonly planner: GroupSplitPlanner,
    private readonly rollouts: RolloutRepository,
    private readonly progress: CreationProgressStore,
    private readonly creations: RolloutCreationWorker,
    private readonly scheduledStarts: ScheduledStartStore,
    private readonly configs: SystemConfigStore,
    @Inject(ROLLOUT_QUOTAS) private readonly quotas: RolloutQuotas,
    private readonly intakes: DynamicIntakeStore,
  ) {}

  async execute({ body, user, now, permissions }: CreateRolloutCommand) {
    if (body.groups !== undefined && body.amountGroups !== undefined) {
      throw rolloutVerificationFailed('give either amountGroups or groups, not both');
    }
    const { template, violation } = dynamicTemplateOf(body, this.quotas);
    if (violation?.kind === 'invalid') throw rolloutVerificationFailed(violation.message);
    if (violation?.kind === 'quota') throw quotaExceeded(violation.violation);
    // A dynamic rollout may consist of its dynamic groups alone; a static one needs a split.
    const staticCount = body.groups?.length ?? body.amountGroups ?? (template ? 0 : undefined);
    if (staticCount === undefined) throw rolloutVerificationFailed('amountGroups or groups is required');
    const groupCount = staticCount + (template ? 1 : 0);
    const tooManyGroups = groupCountViolation(groupCount, body.name, this.quotas);
    if (tooManyGroups) throw quotaExceeded(tooManyGroups);
    const distributionSet = await this.planner.distributionSet(body.distributionSetId);
    const totalTargets = await this.resolver.count(body.targetFilterQuery, now);
    if (totalTargets === 0 && !template) {
      throw rolloutVerificationFailed(`no target matches the filter "${body.targetFilterQuery}"`);
    }
    const split =
      staticCount > 0
        ? await this.planner.plan(body, totalTargets, now)
        : { definitions: [], sizes: [], plan: undefined };
    // Without static groups there is nothing to deal at creation: the intake takes every target.
    const createdTargets = staticCount > 0 ? totalTargets : 0;
    const tooLarge = groupSizeViolation(split.sizes, this.quotas);
    if (tooLarge) throw quotaExceeded(tooLarge);

    const result = await withTransaction(this.pool, async (tx) => {
      const ids = await tx.query<{ rollout_id: string; group_ids: string[] }>(
        `select nextval('${INVENTORY_SCHEMA}.rollout_ids') as rollout_id,
                array(select nextval('${INVENTORY_SCHEMA}.rollout_group_ids') from generate_series(1, $1)) as group_ids`,
        [groupCount],
      );
      const rolloutId = Number(ids.rows[0].rollout_id);
      const name = await tx.query(
        `insert into ${INVENTORY_SCHEMA}.rollout_names (name, rollout_id) values ($1, $2) on conflict do nothing`,
        [body.name, rolloutId],
      );
      if (name.rowCount === 0) {
        throw new ApplicationError(
          'conflict',
          'hawkbit.server.error.repo.entitiyAlreayExists',
          `a rollout named "${body.name}" exists`,
        );
      }
      const drafts = template
        ? [...split.definitions, firstDynamicGroup(template, body.targetFilterQuery, this.planner.policy(body))]
        : split.definitions;
      const groups: RolloutGroupDefinition[] = ids.rows[0].group_ids.map((groupId, i) => ({
        groupId: Number(groupId),
        index: i + 1,
        ...drafts[i],
      }));
      const staticGroups = groups.slice(0, staticCount);
      // Read in the transaction: the setting as it is when the rollout is recorded decides.
      const approval = await this.configs.get(tx, 'rollout.approval.enabled');
      const created: RolloutCreatedV1 = {
        rolloutId,
        name: body.name,
        description: body.description,
        targetFilterQuery: body.targetFilterQuery,
        distributionSet,
        actionType: body.type,
        forceTime: body.forcetime,
        startAt: body.startAt,
        weight: body.weight,
        groups,
        createdAt: now,
        createdBy: user,
        approvalRequired: needsApproval(approval.value, permissions),
        ...(template ? { dynamic: template } : {}),
      };
      await this.rollouts.handle(rolloutId, { type: 'CreateRollout', data: created }, { actor: user }, tx);
      await this.planner.lockDistributionSet(distributionSet.id, tx);
      // The target set is fixed now: the count above and the cutoff bound what the chunks assign.
      await this.progress.register(tx, {
        rolloutId,
        targetFilterQuery: body.targetFilterQuery,
        cutoff: now,
        groupIds: staticGroups.map((g) => g.groupId),
        totalTargets: createdTargets,
        groupPlan: split.plan,
      });
      if (template) {
        await this.intakes.register(tx, {
          rolloutId,
          targetFilterQuery: body.targetFilterQuery,
          template,
          group: groups[groups.length - 1],
          fromStart: staticCount === 0,
        });
      }
      if (body.startAt !== undefined) await this.scheduledStarts.schedule(tx, rolloutId, body.startAt);
      return { ...created, totalTargets: createdTargets };
    });
    this.creations.wake();
    return result;
  }
}
