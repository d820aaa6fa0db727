/** A violated business rule, with a stable code the gateway maps to a status. */
export class RolloutRuleError extends Error {
  constructor(
    readonly code: 'ROLLOUT.ILLEGAL_STATE' | 'ROLLOUT.NOT_FOUND' | 'ROLLOUT.ALREADY_EXISTS',
    message: string,
  ) {
    super(message);
    this.name = 'RolloutRuleError';
  }
}
