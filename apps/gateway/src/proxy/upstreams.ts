import { ConfigError } from '@fleetwave/platform';

/** Where the gateway forwards: commands and inventory to rollout-command, rollout reads to reporting. */
export interface Upstreams {
  rolloutCommand: string;
  reporting: string;
}

export function readUpstreams(env: Record<string, string | undefined> = process.env): Upstreams {
  const url = (name: string, fallback: string): string => {
    const value = env[name] ?? fallback;
    try {
      return new URL(value).toString().replace(/\/$/, '');
    } catch {
      throw new ConfigError(`${name} must be a URL, got "${value}"`);
    }
  };
  return {
    rolloutCommand: url('ROLLOUT_COMMAND_URL', 'http://127.0.0.1:8081'),
    reporting: url('REPORTING_URL', 'http://127.0.0.1:8084'),
  };
}

/**
 * Action reads (`/actions[/{id}]`, `/targets/{controllerId}/actions[/{actionId}[/status]]`) come
 * from reporting's actions read model; the target itself and the rest of its paths from the inventory.
 */
const actionReads = /^\/rest\/v1\/(actions(\/[^/]+)?|targets\/[^/]+\/actions(\/[^/]+(\/status)?)?)\/?$/;

const targetActionReads = /^\/rest\/v1\/targets\/([^/]+)\/actions(\/[^/]+(\/status)?)?\/?$/;

/**
 * The target (its path segment, as sent) whose actions a read asks for; undefined for other
 * requests. Reporting's actions read model knows actions, not the inventory, so the gateway asks
 * rollout-command whether the target exists first: an unknown target is a 404, as in hawkBit,
 * not an empty page.
 */
export function targetOfActionRead(method: string, path: string): string | undefined {
  return method === 'GET' ? targetActionReads.exec(path)?.[1] : undefined;
}

const deployGroupTargets = /^\/rest\/v1\/rollouts\/[^/]+\/deploygroups\/[^/]+\/targets\/?$/;

/** Rollout and action reads come from the read model; everything else from the owner of the data. */
export function upstreamFor(method: string, path: string, upstreams: Upstreams): string {
  if (method === 'GET' && actionReads.test(path)) return upstreams.reporting;
  // A group's targets come from rollout-command's membership table (it holds dynamic members as they join).
  if (method === 'GET' && deployGroupTargets.test(path)) return upstreams.rolloutCommand;
  return method === 'GET' && /^\/rest\/v1\/rollouts(\/|$|\?)/.test(path)
    ? upstreams.reporting
    : upstreams.rolloutCommand;
}
