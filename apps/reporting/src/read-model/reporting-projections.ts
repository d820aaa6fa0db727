import type { Pool } from 'pg';
import { Topics } from '@fleetwave/contracts';
import { DeadLetterError, type BatchHandler } from '@fleetwave/messaging';
import type { Envelope } from '@fleetwave/service-kit';
import { actionsProjectedTypes } from '../actions/actions.plan';
import { ActionsProjection } from '../actions/actions.projection';
import { auditedEventTypes } from '../rollout-audit/decision-audit.plan';
import { DecisionAuditProjection } from '../rollout-audit/decision-audit.projection';
import { progressHistoryEventTypes } from '../rollout-history/progress-buckets.plan';
import { ProgressBucketsProjection } from '../rollout-history/progress-buckets.projection';
import { REPORTING_SCHEMA } from '../rollout-progress/rollout-progress.migration';
import { rolloutProgressEventTypes, rolloutProgressHandler } from '../rollout-progress/rollout-progress.consumer';

/**
 * The one consumer group of reporting's read model. Every projection is applied to a batch in
 * the same transaction, with one processed-message record per message, so an event is read,
 * deduplicated and committed once however many projections it feeds.
 */
export const READ_MODEL_GROUP = 'reporting.read-model';

/** The topics the read model is built from (each projection reads a part of them). */
export const readModelTopics: readonly string[] = [
  Topics.rolloutEvents,
  Topics.rolloutGroupEvents,
  Topics.actionEvents,
];

/** What a projection leaves to finish once caught up (bounded deferred work, such as a rollup). */
export type Settle = (pool: Pool) => Promise<void>;

/** A projection of reporting: its event types and tables; it can be dropped and rebuilt on its own. */
export interface ReportingProjection {
  name: string;
  /** The event types it has an effect for; it is handed only those. */
  types: readonly string[];
  /** Its tables in reporting's schema, all of them: truncated together. */
  tables: readonly string[];
  /** A fresh batch handler, and what it leaves to finish once caught up. */
  create(): { handleBatch: BatchHandler<Envelope>; settle?: Settle };
}

/** Every projection of reporting; each owns its tables. */
export const reportingProjections: readonly ReportingProjection[] = [
  {
    name: 'rollout-progress',
    types: rolloutProgressEventTypes,
    tables: ['rollouts', 'rollout_groups', 'group_action_counts', 'rollout_action_facts', 'rollout_positions'],
    create: () => ({ handleBatch: rolloutProgressHandler(REPORTING_SCHEMA) }),
  },
  {
    name: 'actions',
    types: actionsProjectedTypes,
    tables: ['actions', 'action_status_history', 'action_rollouts', 'action_groups'],
    create: () => ({ handleBatch: new ActionsProjection().handleBatch }),
  },
  {
    name: 'progress-buckets',
    types: progressHistoryEventTypes,
    tables: ['progress_rollouts', 'progress_buckets'],
    create: () => {
      const projection = new ProgressBucketsProjection();
      return { handleBatch: projection.handleBatch, settle: (pool) => projection.finishRollups(pool) };
    },
  },
  {
    name: 'decision-audit',
    types: auditedEventTypes,
    tables: ['audit_entries', 'audit_rollouts', 'audit_groups'],
    create: () => ({ handleBatch: new DecisionAuditProjection().handleBatch }),
  },
];

/** The projection of that name; the error lists the names there are. */
export function projectionNamed(name: string): ReportingProjection {
  const found = reportingProjections.find((p) => p.name === name);
  if (!found) {
    throw new Error(`no projection "${name}": one of ${reportingProjections.map((p) => p.name).join(', ')}`);
  }
  return found;
}

/** Several projections consumed as one: the union of their types, one batch handler, one settle. */
export interface ComposedProjections {
  types: string[];
  handleBatch: BatchHandler<Envelope>;
  settle: Settle;
}

/**
 * Applies each projection, in the order given, to the items of its types, all through the
 * batch's transaction. An item none of them had an effect for is reported ignored. A projection
 * refusing an item fails the batch with a permanent error, so the consumer isolates that item
 * and dead-letters it with no effect on any projection (one has no effect without the others).
 */
export function composeProjections(projections: readonly ReportingProjection[]): ComposedProjections {
  const parts = projections.map((projection) => ({
    name: projection.name,
    types: new Set(projection.types),
    ...projection.create(),
  }));
  const handleBatch: BatchHandler<Envelope> = async (items, context) => {
    const applied = new Set<string>();
    for (const part of parts) {
      const mine = items.filter((item) => part.types.has(item.message.type));
      if (mine.length === 0) continue;
      const result = await part.handleBatch(mine, context);
      const refused = result?.rejected?.[0];
      if (refused) throw new DeadLetterError(`${part.name}: ${refused.reason} (message ${refused.messageId})`);
      const ignored = new Set(result?.ignored ?? []);
      for (const { context: message } of mine) if (!ignored.has(message.messageId)) applied.add(message.messageId);
    }
    return { ignored: items.map((item) => item.context.messageId).filter((id) => !applied.has(id)) };
  };
  const settle: Settle = async (pool) => {
    for (const part of parts) await part.settle?.(pool);
  };
  return { types: [...new Set(projections.flatMap((p) => p.types))], handleBatch, settle };
}
