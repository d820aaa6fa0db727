import type { SqlExecutor } from '@fleetwave/event-store';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { DistributionSetRef, RolloutGroupDefinition } from '@fleetwave/contracts';
import { DATABASE_POOL } from '../../../shared/tokens';
import { DistributionSetLookup } from '../../../repository/queries/distribution-set.lookup';
import { planExplicitGroups, uncoveredTargets } from '../../domain/explicit-group-split';
import { autoSplitGroupSizes } from '../../domain/group-split';
import { ExplicitGroupResolver, type PlannedGroup } from '../../processes/explicit-group-resolver';
import { TargetResolver } from '../../processes/target-resolver';
import type { CreateRolloutDto, RolloutGroupDto } from '@fleetwave/contracts';
import { incompleteDistributionSet, invalidDistributionSet, rolloutVerificationFailed } from './create-rollout.errors';

/** A group's definition before its ids are allocated. */
export type GroupDraft = Omit<RolloutGroupDefinition, 'groupId' | 'index'>;

/** The split decided at creation: group sizes (for quotas and the 201) and, for groups[], their cuts. */
export interface PlannedSplit {
  definitions: GroupDraft[];
  sizes: { name: string; size: number }[];
  plan?: PlannedGroup[];
}

/** What a set row may tell beyond its modules (the flags of the inventory's set model). */
interface SetFlags {
  complete?: boolean | null;
  valid?: boolean | null;
}

/** The checks and counts of a creation that read the inventory before anything is recorded. */
@Injectable()
export class GroupSplitPlanner {
  private readonly explicit: ExplicitGroupResolver;

  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    private readonly distributionSets: DistributionSetLookup,
    resolver: TargetResolver,
  ) {
    this.explicit = new ExplicitGroupResolver(resolver.schema);
  }

  /**
   * The set to roll out: unknown → 404; invalidated or incomplete → 400. A set row without a
   * `complete` flag counts as complete when it holds at least one module.
   */
  /** Locks the set a rollout uses (its modules can no longer change), in the rollout's creating transaction. */
  lockDistributionSet(id: number, tx: SqlExecutor): Promise<void> {
    return this.distributionSets.lock(id, tx);
  }

  async distributionSet(id: number): Promise<DistributionSetRef> {
    const { row, modules } = await this.distributionSets.get(id);
    const flags = row as SetFlags;
    if (flags.valid === false) throw invalidDistributionSet(id);
    const complete = typeof flags.complete === 'boolean' ? flags.complete : modules.length > 0;
    if (!complete) throw incompleteDistributionSet(id);
    return this.distributionSets.reference(id);
  }

  /** The rollout's own confirmation, conditions and actions (what a group without its own takes). */
  policy(body: CreateRolloutDto): ReturnType<typeof policyOf> {
    return policyOf(body, undefined);
  }

  async plan(body: CreateRolloutDto, totalTargets: number, cutoff: number): Promise<PlannedSplit> {
    if (body.groups === undefined) {
      const count = body.amountGroups ?? 1;
      const sizes = autoSplitGroupSizes(totalTargets, count);
      const definitions = sizes.map((_, i): GroupDraft => ({
        name: `group-${i + 1}`,
        targetPercentage: 100 / (count - i),
        ...policyOf(body, undefined),
      }));
      return { definitions, sizes: sizes.map((size, i) => ({ name: definitions[i].name, size })) };
    }
    const groups = body.groups;
    // A blank group filter means none, as in hawkBit: the group takes from the rollout's targets alone.
    const filters = groups.map((g) => (g.targetFilterQuery?.trim() ? g.targetFilterQuery : null));
    const cuts = await planExplicitGroups(
      groups.map((g) => g.targetPercentage),
      this.explicit.remaining(this.pool, body.targetFilterQuery, cutoff, filters),
    );
    const uncovered = uncoveredTargets(totalTargets, cuts);
    if (uncovered > 0) {
      throw rolloutVerificationFailed(
        `Rollout groups don't match all targets that are targeted by the rollout: ${uncovered} of ${totalTargets} would be in no group`,
      );
    }
    const definitions = groups.map((g): GroupDraft => ({
      name: g.name,
      description: g.description,
      targetFilterQuery: g.targetFilterQuery,
      targetPercentage: g.targetPercentage,
      ...policyOf(body, g),
    }));
    return {
      definitions,
      sizes: cuts.map((cut, i) => ({ name: groups[i].name, size: cut.size })),
      plan: cuts.map((cut, i) => ({ filter: filters[i], lastTargetId: cut.lastTargetId })),
    };
  }
}

/** A group's conditions and confirmation: its own where given, else the rollout's. */
function policyOf(
  body: CreateRolloutDto,
  group: RolloutGroupDto | undefined,
): Pick<GroupDraft, 'confirmationRequired' | 'successCondition' | 'successAction' | 'errorCondition' | 'errorAction'> {
  const success = group?.successCondition ?? body.successCondition;
  const successAction = group?.successAction ?? body.successAction;
  const error = group?.errorCondition ?? body.errorCondition;
  const errorAction = group?.errorAction ?? body.errorAction;
  return {
    confirmationRequired: group?.confirmationRequired ?? body.confirmationRequired,
    successCondition: { condition: 'THRESHOLD', expression: success.expression },
    successAction: { action: successAction.action, expression: successAction.expression },
    errorCondition: { condition: error.condition, expression: error.expression },
    errorAction: { action: errorAction.action, expression: errorAction.expression },
  };
}
