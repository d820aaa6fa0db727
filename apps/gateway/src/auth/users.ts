import { createHash, timingSafeEqual } from 'node:crypto';
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

/**
 * Parses FLEETWAVE_TOKENS: `token:user;…`, API tokens for `Authorization: Bearer <token>`, each
 * acting as a configured user with that user's permissions. Unset means no tokens.
 */
export function parseTokens(spec: string | undefined, users: Map<string, User>): Map<string, User> {
  const tokens = new Map<string, User>();
  for (const entry of (spec ?? '')
    .split(';')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const colon = entry.lastIndexOf(':');
    const [token, name] = colon < 0 ? [entry, ''] : [entry.slice(0, colon), entry.slice(colon + 1)];
    const user = users.get(name);
    if (!user)
      throw new Error(`FLEETWAVE_TOKENS: a token must name a user of FLEETWAVE_USERS (token:user), got "${name}"`);
    if (token.length < 16) throw new Error(`FLEETWAVE_TOKENS: the token of ${name} must have at least 16 characters`);
    tokens.set(token, user);
  }
  return tokens;
}

/** Equal strings, compared in time independent of where they differ. */
function sameSecret(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right);
}

/** The user an `Authorization` header (Basic or Bearer) authenticates; undefined when none does. */
export function authenticate(
  header: string | undefined,
  users: Map<string, User>,
  tokens: Map<string, User>,
): User | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (bearer) {
    for (const [token, user] of tokens) if (sameSecret(token, bearer[1])) return user;
    return undefined;
  }
  const credentials = basicCredentials(header);
  const user = credentials && users.get(credentials.name);
  return user && sameSecret(user.password, credentials.password) ? user : undefined;
}

/** Reads HTTP Basic credentials; undefined when absent or malformed. */
export function basicCredentials(header: string | undefined): { name: string; password: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { name: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
