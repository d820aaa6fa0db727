import { compileTargetFilter, type TargetFilterSql } from '../../../targets/target-filter';

/**
 * The target filter of a retry, `failedrollout==<id>`: the targets whose
 * action in rollout <id> ended in error. A retry is created like any rollout, so its target set
 * must come through the same resolver and be streamed by the same creation chunks (keyset on the
 * target id, cutoff at creation); making it a filter the resolver understands gives it all of
 * that unchanged, and the rollout shows which rollout it retries. The condition is an index probe
 * into `rollout_failed_targets` (primary key rollout_id, target_id) per target, so a page reads in
 * target id order like any other filter's. It is a rollout filter only, not part of the general
 * target filter language (which knows no schema to read failures from).
 */
const FAILED_ROLLOUT = /^\s*failedrollout\s*==\s*(\d{1,18})\s*$/i;

export const retryTargetFilterQuery = (rolloutId: number): string => `failedrollout==${rolloutId}`;

/** The rollout a filter retries, or undefined for any other filter. */
export function retriedRolloutOf(filterQuery: string): number | undefined {
  const match = FAILED_ROLLOUT.exec(filterQuery);
  return match ? Number(match[1]) : undefined;
}

/** A rollout's target filter as a condition on `targets t`: the retry form, or the target filter language. */
export function compileRolloutTargetFilter(filterQuery: string, schema: string, paramOffset = 0): TargetFilterSql {
  const retried = retriedRolloutOf(filterQuery);
  if (retried === undefined) return compileTargetFilter(filterQuery, paramOffset, schema);
  return {
    where: `exists (select 1 from ${schema}.rollout_failed_targets f
                    where f.rollout_id = $${paramOffset + 1}::bigint and f.target_id = t.id)`,
    params: [retried],
  };
}
