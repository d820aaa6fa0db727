import { needsApproval } from './approval-policy';

describe('approval policy', () => {
  it.each([
    [false, ['CREATE_ROLLOUT'], false],
    [true, ['CREATE_ROLLOUT'], true],
    [true, [], true],
    [true, ['CREATE_ROLLOUT', 'APPROVE_ROLLOUT'], false],
    [true, ['*'], false],
    [true, ['approve_rollout'], true],
  ])('approval enabled %s, permissions %j → waits for approval: %s', (enabled, permissions, expected) => {
    expect(needsApproval(enabled, permissions)).toBe(expected);
  });
});
