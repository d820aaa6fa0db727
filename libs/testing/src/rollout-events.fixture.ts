import type { RolloutCreatedV1 } from '@fleetwave/contracts';

/** A fixed clock for events built by tests. */
export const TEST_NOW = 1_700_000_000_000;

let nextId = Math.floor(Math.random() * 1_000_000_000);
/** Ids no other test uses (rollouts, groups and targets share one counter). */
export const freshId = (): number => ++nextId;

/**
 * The `RolloutCreated.v1` data of a rollout with one group per id: hawkBit's default policy
 * (success THRESHOLD → NEXTGROUP, error THRESHOLD 50 → PAUSE) with the given success threshold.
 */
export function rolloutCreatedData(rolloutId: number, groupIds: number[], successThreshold = 50): RolloutCreatedV1 {
  return {
    rolloutId,
    name: `r${rolloutId}`,
    targetFilterQuery: 'name==*',
    distributionSet: { id: 7, name: 'fw', version: '2.0', modules: [] },
    actionType: 'forced',
    weight: 500,
    groups: groupIds.map((groupId, i) => ({
      groupId,
      index: i + 1,
      name: `g${i + 1}`,
      targetPercentage: 100,
      confirmationRequired: false,
      successCondition: { condition: 'THRESHOLD', expression: successThreshold },
      successAction: { action: 'NEXTGROUP' },
      errorCondition: { condition: 'THRESHOLD', expression: 50 },
      errorAction: { action: 'PAUSE' },
    })),
    createdAt: TEST_NOW,
    createdBy: 'test',
  };
}
