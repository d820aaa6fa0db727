/** The permission that lets a creator's rollouts skip approval. */
export const APPROVE_ROLLOUT = 'APPROVE_ROLLOUT';

/**
 * Whether a new rollout waits for someone's approval once ready: the tenant asks for approval
 * and the creator may not approve. Permissions undefined (a direct call, no gateway in between)
 * hold them all; `*` holds them all.
 */
export const needsApproval = (approvalEnabled: boolean, permissions: readonly string[] | undefined): boolean =>
  approvalEnabled && permissions !== undefined && !permissions.includes('*') && !permissions.includes(APPROVE_ROLLOUT);
