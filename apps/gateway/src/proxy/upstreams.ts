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

/** Rollout reads come from the read model; everything else from the owner of the data. */
export function upstreamFor(method: string, path: string, upstreams: Upstreams): string {
  return method === 'GET' && /^\/rest\/v1\/rollouts(\/|$|\?)/.test(path)
    ? upstreams.reporting
    : upstreams.rolloutCommand;
}
