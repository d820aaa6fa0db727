import type { RolloutCreatedV1 } from '@fleetwave/contracts';
import { compileRolloutTargetFilter, retriedRolloutOf, retryTargetFilterQuery } from './failed-targets.filter';
import { retryRolloutBody } from './retry-plan';

const created: RolloutCreatedV1 = {
  rolloutId: 42,
  name: 'fw-rollout',
  description: 'first try',
  targetFilterQuery: 'name==dev-*',
  distributionSet: { id: 7, name: 'fw', version: '2.0', modules: [] },
  actionType: 'timeforced',
  forceTime: 1_800_000_000_000,
  startAt: 1_700_000_000_000,
  weight: 300,
  groups: [
    {
      groupId: 1,
      index: 1,
      name: 'g1',
      targetPercentage: 50,
      confirmationRequired: true,
      successCondition: { condition: 'THRESHOLD', expression: 80 },
      successAction: { action: 'PAUSE' },
      errorCondition: { condition: 'ERROR_COUNT', expression: 3 },
      errorAction: { action: 'PAUSE' },
    },
  ],
  createdAt: 1,
  createdBy: 'op',
};

describe('the retry of a rollout', () => {
  it('is `<name>_retry` over the failed targets in one group, with the same set and settings and no startAt', () => {
    const body = retryRolloutBody(created, { name: 'renamed', description: 'now' });
    expect({ ...body }).toEqual({
      name: 'renamed_retry',
      description: 'now',
      distributionSetId: 7,
      targetFilterQuery: 'failedrollout==42',
      amountGroups: 1,
      // A retry is a static rollout over the failed targets, whatever the retried one was.
      dynamic: false,
      type: 'timeforced',
      forcetime: 1_800_000_000_000,
      weight: 300,
      confirmationRequired: true,
      successCondition: { condition: 'THRESHOLD', expression: 80 },
      successAction: { action: 'PAUSE' },
      errorCondition: { condition: 'ERROR_COUNT', expression: 3 },
      errorAction: { action: 'PAUSE' },
    });
    expect(body.startAt).toBeUndefined();
  });

  it('resolves its filter to the failed targets of the retried rollout, other filters to the target filter language', () => {
    expect(retriedRolloutOf(retryTargetFilterQuery(42))).toBe(42);
    expect(retriedRolloutOf(' FailedRollout == 9 ')).toBe(9);
    expect(retriedRolloutOf('failedrollout==9;name==x')).toBeUndefined();
    const retry = compileRolloutTargetFilter('failedrollout==42', 'inv', 2);
    expect(retry.params).toEqual([42]);
    expect(retry.where).toMatch(
      /from inv\.rollout_failed_targets f\s+where f\.rollout_id = \$3::bigint and f\.target_id = t\.id/,
    );
    const plain = compileRolloutTargetFilter('name==dev-*', 'inv');
    expect(plain.params).toEqual(['dev-%']);
    expect(() => compileRolloutTargetFilter('failedrollout==x', 'inv')).toThrow(/unknown field 'failedrollout'/);
  });
});
