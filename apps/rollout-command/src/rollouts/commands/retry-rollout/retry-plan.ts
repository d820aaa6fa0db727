import type { RolloutCreatedV1 } from '@fleetwave/contracts';
import {
  ConditionDto,
  CreateRolloutDto,
  ErrorActionDto,
  ErrorConditionDto,
  SuccessActionDto,
} from '@fleetwave/contracts';
import { retryTargetFilterQuery } from './failed-targets.filter';

/**
 * The create body of a retry: `<name>_retry` (the name as it is now), the same description,
 * distribution set, action type, forced time and weight, one group over the failed targets, and
 * the group settings (confirmation, conditions and actions) of the retried rollout's first
 * group, which carry the rollout's own unless that group overrode them. No startAt: a retry is
 * started by hand, since the original's start time has passed.
 */
export function retryRolloutBody(created: RolloutCreatedV1, current: { name: string; description?: string }) {
  const first = created.groups[0];
  const body = new CreateRolloutDto();
  Object.assign(body, {
    name: `${current.name}_retry`,
    description: current.description,
    distributionSetId: created.distributionSet.id,
    targetFilterQuery: retryTargetFilterQuery(created.rolloutId),
    amountGroups: 1,
    type: created.actionType,
    forcetime: created.forceTime,
    weight: created.weight,
  });
  if (first) {
    body.confirmationRequired = first.confirmationRequired;
    body.successCondition = Object.assign(new ConditionDto(), first.successCondition);
    body.successAction = Object.assign(new SuccessActionDto(), first.successAction);
    body.errorCondition = Object.assign(new ErrorConditionDto(), first.errorCondition);
    body.errorAction = Object.assign(new ErrorActionDto(), first.errorAction);
  }
  return body;
}
