import { ConfigError } from '@fleetwave/platform';

/**
 * The services the gateway reaches over HTTP: rollout-command, where most routes the gateway does
 * not serve itself are forwarded (the inventory, a group's targets), and reporting, for a
 * rollout's progress and audit and the change feeds the gateway relays. Both answer its
 * readiness checks.
 */
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

/** A rollout's progress over time and its decision audit: reporting's reads the gateway forwards. */
const reportingReads = /^\/rest\/v1\/rollouts\/[^/]+\/(progress|audit)\/?$/;

/** Where a route the gateway does not serve itself is forwarded: the owner of the data. */
export function upstreamFor(method: string, path: string, upstreams: Upstreams): string {
  return method === 'GET' && reportingReads.test(path) ? upstreams.reporting : upstreams.rolloutCommand;
}
