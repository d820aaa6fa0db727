export type RolloutRuleCode = 'ROLLOUT.ILLEGAL_STATE' | 'ROLLOUT.NOT_FOUND' | 'ROLLOUT.ALREADY_EXISTS';

// The HTTP layer maps known codes to a status and falls back on the kind for the others.
const kindOf: Record<RolloutRuleCode, 'bad_request' | 'not_found' | 'conflict'> = {
  'ROLLOUT.ILLEGAL_STATE': 'bad_request',
  'ROLLOUT.NOT_FOUND': 'not_found',
  'ROLLOUT.ALREADY_EXISTS': 'conflict',
};

/** A violated business rule, with a stable code the gateway maps to a status. */
export class RolloutRuleError extends Error {
  readonly kind: 'bad_request' | 'not_found' | 'conflict';

  constructor(
    readonly code: RolloutRuleCode,
    message: string,
  ) {
    super(message);
    this.name = 'RolloutRuleError';
    this.kind = kindOf[code];
  }
}
