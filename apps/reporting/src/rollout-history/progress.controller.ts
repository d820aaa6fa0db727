import { Controller, Get, Param, Query } from '@nestjs/common';
import { ParseIdPipe } from '@fleetwave/platform';
import { UnsupportedQuery } from '../rollout-queries/not-found';
import { ProgressQueries, type SeriesQuery, type SeriesScope } from './progress.queries';
import type { ProgressSeries } from './progress-series';

const parseRolloutId = new ParseIdPipe('Rollout');

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

/** The progress query from its parameters as the client sent them (REST's query string, or the internal message). */
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

/** Progress over time of a rollout, from the progress-buckets projection. */
@Controller('rest/v1/rollouts')
export class ProgressController {
  constructor(private readonly queries: ProgressQueries) {}

  @Get(':id/progress')
  progress(
    @Param('id', parseRolloutId) id: number,
    @Query('group') group?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('bucketSeconds') bucketSeconds?: string,
  ): Promise<ProgressSeries> {
    return this.queries.series(id, seriesQueryOf({ group, from, to, bucketSeconds }));
  }
}
