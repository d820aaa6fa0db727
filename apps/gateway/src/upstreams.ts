import { ConfigError } from '@fleetwave/platform';

/** The token the gateway's controllers inject {@link Upstreams} by. */
export const UPSTREAMS = Symbol('UPSTREAMS');

/**
 * The services' HTTP endpoints the gateway uses: both answer its readiness checks, and reporting's
 * change feeds are relayed to the dashboard and to `WatchRollout`. (The API itself goes over the
 * internal gRPC API: see backends.ts.)
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
