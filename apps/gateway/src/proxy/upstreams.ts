import { ConfigError } from '@fleetwave/platform';

/**
 * The services the gateway reaches over HTTP: rollout-command, where the routes the gateway does
 * not serve itself are forwarded (the inventory, a group's targets), and reporting, whose change
 * feeds the gateway relays. Both answer its readiness checks.
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
