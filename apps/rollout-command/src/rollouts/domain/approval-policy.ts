/** The permission that lets a creator's rollouts skip approval. */
export const APPROVE_ROLLOUT = 'APPROVE_ROLLOUT';

/**
 * Whether a new rollout waits for someone's approval once ready: the tenant asks for approval
 * and the creator may not approve (`*` holds every permission).
 */
export const needsApproval = (approvalEnabled: boolean, permissions: readonly string[]): boolean =>
  approvalEnabled && !permissions.includes('*') && !permissions.includes(APPROVE_ROLLOUT);
