import { IsDefined } from 'class-validator';

/** hawkBit's body of `PUT /system/configs/{key}`. */
export class SystemConfigValueDto {
  @IsDefined() value!: unknown;
}

/** A tenant setting as the services tell it (`fleetwave.internal.v1.ConfigEntry`, the value decoded). */
export interface SystemConfigView {
  key: string;
  value: unknown;
  global: boolean;
  createdAt?: number;
  createdBy?: string;
  lastModifiedAt?: number;
  lastModifiedBy?: string;
}

/** hawkBit's MgmtSystemTenantConfigurationValue: audit fields only for a value set by someone. */
export const renderSystemConfig = ({ key, ...entry }: SystemConfigView) => ({
  ...entry,
  _links: { self: { href: `/rest/v1/system/configs/${key}` } },
});

/** hawkBit's list of settings: an object by key. */
export const renderSystemConfigs = (entries: SystemConfigView[]) =>
  Object.fromEntries(entries.map((entry) => [entry.key, renderSystemConfig(entry)]));

/** A setting as the internal message carries it: the value as JSON, whatever its type. */
export const toConfigEntryMessage = ({ value, ...entry }: SystemConfigView) => ({
  ...entry,
  valueJson: JSON.stringify(value),
});

/** The internal message back as the setting. */
export function fromConfigEntryMessage(message: Record<string, unknown>): SystemConfigView {
  const { valueJson, ...entry } = message;
  return {
    ...(Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined && v !== null)) as Omit<
      SystemConfigView,
      'value'
    >),
    global: entry.global === true,
    value: JSON.parse(String(valueJson ?? 'null')),
  };
}

/** The entries of hawkBit's batch update body, `{ "<key>": <value>, … }` (none for anything else). */
export const settingsOf = (body: unknown): [string, unknown][] =>
  typeof body === 'object' && body !== null && !Array.isArray(body) ? Object.entries(body) : [];
