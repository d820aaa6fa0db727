import { UnsupportedQuery } from '../rollout-queries/not-found';
import type { SeriesQuery, SeriesScope } from './progress.queries';

/** An optional non-negative integer query parameter (epoch ms, seconds); 400 for anything else. */
export function optionalInteger(name: string, value: string | undefined, min = 0): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,15}$/.test(value) || Number(value) < min) {
    throw new UnsupportedQuery(`${name} must be an integer of at least ${min}, got "${value.slice(0, 32)}"`);
  }
  return Number(value);
}

/** `group`: absent for the rollout as a whole, `all` for a series per group, or a group id. */
export function seriesScope(group: string | undefined): SeriesScope {
  if (group === undefined || group === '') return { kind: 'rollout' };
  if (group === 'all') return { kind: 'groups' };
  const groupId = optionalInteger('group', group, 1);
  return groupId === undefined ? { kind: 'rollout' } : { kind: 'group', groupId };
}

/**
 * The progress query from its parameters as the client sent them: `ProgressQuery` carries the
 * values of REST's query string as text, which are read here.
 */
export function seriesQueryOf(params: {
  group?: string;
  from?: string;
  to?: string;
  bucketSeconds?: string;
}): SeriesQuery {
  return {
    scope: seriesScope(params.group),
    from: optionalInteger('from', params.from),
    to: optionalInteger('to', params.to),
    bucketSeconds: optionalInteger('bucketSeconds', params.bucketSeconds, 1),
  };
}
