import { MAX_GROUPS_IN_REQUEST } from '@fleetwave/contracts';
import { defaultRolloutQuotas, type RolloutQuotas } from './domain/rollout-quotas';

/** Injection token of the {@link RolloutQuotas} the service was started with. */
export const ROLLOUT_QUOTAS = Symbol('ROLLOUT_QUOTAS');

const bounds = {
  ROLLOUT_MAX_GROUPS: { key: 'maxGroupsPerRollout', max: MAX_GROUPS_IN_REQUEST },
  ROLLOUT_MAX_TARGETS_PER_GROUP: { key: 'maxTargetsPerGroup', max: 1_000_000_000 },
} as const;

/**
 * Reads the rollout quotas once at start-up: env ROLLOUT_MAX_GROUPS (groups per rollout) and
 * ROLLOUT_MAX_TARGETS_PER_GROUP, each a whole number from 1 up, defaults as hawkBit's. A value
 * that is not one stops the start instead of silently falling back.
 */
export function readRolloutQuotas(env: Record<string, string | undefined>): RolloutQuotas {
  const quotas: RolloutQuotas = { ...defaultRolloutQuotas };
  for (const [name, { key, max }] of Object.entries(bounds)) {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') continue;
    const value = /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
    if (!(value >= 1 && value <= max)) {
      throw new Error(`${name} must be a whole number from 1 to ${max}, got "${env[name]}"`);
    }
    quotas[key] = value;
  }
  return quotas;
}
