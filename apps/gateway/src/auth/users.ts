/** Permissions of hawkBit's Management API. */
export const permissions = [
  'READ_TARGET',
  'CREATE_TARGET',
  'UPDATE_TARGET',
  'DELETE_TARGET',
  'READ_REPOSITORY',
  'CREATE_REPOSITORY',
  'UPDATE_REPOSITORY',
  'DELETE_REPOSITORY',
  'READ_ROLLOUT',
  'CREATE_ROLLOUT',
  'UPDATE_ROLLOUT',
  'DELETE_ROLLOUT',
  'HANDLE_ROLLOUT',
  'APPROVE_ROLLOUT',
  'READ_TENANT_CONFIGURATION',
  'TENANT_CONFIGURATION',
] as const;
export type Permission = (typeof permissions)[number];

export interface User {
  name: string;
  password: string;
  permissions: Set<Permission>;
}

/**
 * Parses FLEETWAVE_USERS: `name:password:PERM,PERM;…` with `*` for every permission.
 * Unset means the development default `admin`/`admin` with every permission.
 */
export function parseUsers(spec: string | undefined): Map<string, User> {
  const source = spec?.trim() ? spec : 'admin:admin:*';
  const users = new Map<string, User>();
  for (const entry of source
    .split(';')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [name, password, perms = ''] = entry.split(':');
    if (!name || password === undefined)
      throw new Error(`FLEETWAVE_USERS entry "${entry}" must be name:password:PERMS`);
    const granted =
      perms === '*'
        ? [...permissions]
        : perms
            .split(',')
            .map((p) => p.trim())
            .filter(Boolean);
    const unknown = granted.filter((p) => !(permissions as readonly string[]).includes(p));
    if (unknown.length > 0) throw new Error(`FLEETWAVE_USERS: unknown permission(s) ${unknown.join(', ')} for ${name}`);
    users.set(name, { name, password, permissions: new Set(granted as Permission[]) });
  }
  return users;
}

/** Reads HTTP Basic credentials; undefined when absent or malformed. */
export function basicCredentials(header: string | undefined): { name: string; password: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { name: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
