import type { Permission } from './users';

const areas: Record<string, 'TARGET' | 'REPOSITORY' | 'ROLLOUT'> = {
  targets: 'TARGET',
  targettags: 'TARGET',
  targetfilters: 'TARGET',
  targettypes: 'TARGET',
  actions: 'TARGET',
  softwaremodules: 'REPOSITORY',
  softwaremoduletypes: 'REPOSITORY',
  distributionsets: 'REPOSITORY',
  distributionsettypes: 'REPOSITORY',
  rollouts: 'ROLLOUT',
};

const handleCommands = new Set(['start', 'pause', 'resume', 'stop', 'triggerNextGroup']);

/** The permission a Management API request needs, as hawkBit assigns them; undefined for unknown paths. */
export function requiredPermission(method: string, path: string): Permission | undefined {
  const segments = path
    .replace(/^\/rest\/v1\/?/, '')
    .split('/')
    .filter(Boolean);
  if (segments[0] === 'system') return systemPermission(method, segments);
  const area = areas[segments[0]];
  if (!area) return undefined;
  if (area === 'ROLLOUT' && method === 'POST' && segments.length === 3) {
    if (handleCommands.has(segments[2])) return 'HANDLE_ROLLOUT';
    if (segments[2] === 'approve' || segments[2] === 'deny') return 'APPROVE_ROLLOUT';
    if (segments[2] === 'retry') return 'CREATE_ROLLOUT';
  }
  const verb = { GET: 'READ', HEAD: 'READ', POST: 'CREATE', PUT: 'UPDATE', PATCH: 'UPDATE', DELETE: 'DELETE' }[method];
  return verb ? (`${verb}_${area}` as Permission) : undefined;
}

/**
 * Tenant settings (`system/configs[/{key}]`): read with GET, changed with PUT or DELETE, as in
 * hawkBit (whose PUT on the collection changes several at once).
 */
function systemPermission(method: string, segments: string[]): Permission | undefined {
  if (segments[1] !== 'configs' || segments.length > 3) return undefined;
  if (method === 'GET' || method === 'HEAD') return 'READ_TENANT_CONFIGURATION';
  if (method === 'PUT' || method === 'DELETE') return 'TENANT_CONFIGURATION';
  return undefined;
}
