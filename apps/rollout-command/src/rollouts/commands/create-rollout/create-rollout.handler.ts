import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import type { RolloutCreatedV1, RolloutGroupDefinition } from '@fleetwave/contracts';
import { withTransaction } from '@fleetwave/platform';
import { DATABASE_POOL } from '../../../shared/tokens';
import { ApplicationError } from '../../../shared/application-error';
import { INVENTORY_SCHEMA } from '../../../inventory/inventory.migration';
import { DistributionSetLookup } from '../../../repository/queries/distribution-set.lookup';
import { TargetResolver } from '../../processes/target-resolver';
import { CreationProgressStore } from '../../processes/creation-progress.store';
import { RolloutCreationWorker } from '../../processes/rollout-creation.worker';
import { RolloutRepository } from '../../rollout.repository';
import { SystemConfigStore } from '../../../system/system-config.store';
import { needsApproval } from '../../domain/approval-policy';
import { CreateRolloutDto } from './create-rollout.dto';

export class CreateRolloutCommand {
  constructor(
    readonly body: CreateRolloutDto,
    readonly user: string,
    readonly now: number,
    /** The caller's permissions as the gateway forwards them; undefined (a direct call) holds them all. */
    readonly permissions?: readonly string[],
  ) {}
}

/**
 * Validates, allocates ids and records RolloutCreated together with the creation's progress row;
 * membership is then written asynchronously, chunk by chunk, by the creation worker.
 */
@CommandHandler(CreateRolloutCommand)
export class CreateRolloutHandler implements ICommandHandler<
  CreateRolloutCommand,
  RolloutCreatedV1 & { totalTargets: number }
> {
  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    private readonly distributionSets: DistributionSetLookup,
    private readonly resolver: TargetResolver,
    private readonly rollouts: RolloutRepository,
    private readonly progress: CreationProgressStore,
    private readonly creations: RolloutCreationWorker,
    private readonly configs: SystemConfigStore,
  ) {}

  async execute({ body, user, now, permissions }: CreateRolloutCommand) {
    if (body.groups !== undefined && body.amountGroups !== undefined) {
      throw badRequest('give either amountGroups or groups, not both');
    }
    if (body.groups !== undefined) throw badRequest('explicit groups are not supported yet; use amountGroups');
    if (body.amountGroups === undefined) throw badRequest('amountGroups is required');
    const distributionSet = await this.distributionSets.reference(body.distributionSetId);
    const totalTargets = await this.resolver.count(body.targetFilterQuery, now);
    if (totalTargets === 0) throw badRequest(`no target matches the filter "${body.targetFilterQuery}"`);

    const result = await withTransaction(this.pool, async (tx) => {
      const ids = await tx.query<{ rollout_id: string; group_ids: string[] }>(
        `select nextval('${INVENTORY_SCHEMA}.rollout_ids') as rollout_id,
                array(select nextval('${INVENTORY_SCHEMA}.rollout_group_ids') from generate_series(1, $1)) as group_ids`,
        [body.amountGroups],
      );
      const rolloutId = Number(ids.rows[0].rollout_id);
      const name = await tx.query(
        `insert into ${INVENTORY_SCHEMA}.rollout_names (name, rollout_id) values ($1, $2) on conflict do nothing`,
        [body.name, rolloutId],
      );
      if (name.rowCount === 0) {
        throw new ApplicationError(
          'conflict',
          'hawkbit.server.error.repo.entitiyAlreadyExists',
          `a rollout named "${body.name}" exists`,
        );
      }
      const groups: RolloutGroupDefinition[] = ids.rows[0].group_ids.map((groupId, i) => ({
        groupId: Number(groupId),
        index: i + 1,
        name: `group-${i + 1}`,
        targetPercentage: 100 / (body.amountGroups! - i),
        confirmationRequired: body.confirmationRequired,
        successCondition: { condition: 'THRESHOLD', expression: body.successCondition.expression },
        successAction: { action: body.successAction.action, expression: body.successAction.expression },
        errorCondition: { condition: body.errorCondition.condition, expression: body.errorCondition.expression },
        errorAction: { action: body.errorAction.action, expression: body.errorAction.expression },
      }));
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
      };
      await this.rollouts.handle(rolloutId, { type: 'CreateRollout', data: created }, { actor: user }, tx);
      // The target set is fixed now: the count above and the cutoff bound what the chunks assign.
      await this.progress.register(tx, {
        rolloutId,
        targetFilterQuery: body.targetFilterQuery,
        cutoff: now,
        groupIds: groups.map((g) => g.groupId),
        totalTargets,
      });
      return { ...created, totalTargets };
    });
    this.creations.wake();
    return result;
  }
}

const badRequest = (message: string) =>
  new ApplicationError('bad_request', 'hawkbit.server.error.rollout.invalid', message);
