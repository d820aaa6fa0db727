/** The tenant settings rollout-command knows, each with its value type and default. */
export const systemConfigKeys = {
  /** A rollout whose creator lacks APPROVE_ROLLOUT waits for approval once ready. */
  'rollout.approval.enabled': { type: 'boolean', defaultValue: false },
  /** Devices confirm an assignment before it is carried out. */
  'user.confirmation.flow.enabled': { type: 'boolean', defaultValue: false },
} as const satisfies Record<string, { type: 'boolean'; defaultValue: boolean }>;

export type SystemConfigKey = keyof typeof systemConfigKeys;
export type SystemConfigValue = boolean;

export const isSystemConfigKey = (key: string): key is SystemConfigKey => Object.hasOwn(systemConfigKeys, key);

/** Whether a value fits the key's type (a JSON boolean for a boolean key, never the string "true"). */
export const fitsKey = (key: SystemConfigKey, value: unknown): value is SystemConfigValue =>
  typeof value === systemConfigKeys[key].type;
