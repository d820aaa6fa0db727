import type { Pool } from 'pg';
import { Topics } from '@fleetwave/contracts';
import type { BatchHandler } from '@fleetwave/messaging';
import type { Envelope } from '@fleetwave/service-kit';
import { ACTIONS_CONSUMER_GROUP, actionsProjectionTopics } from '../actions/actions.wiring';
import { actionsProjectedTypes } from '../actions/actions.plan';
import { ActionsProjection } from '../actions/actions.projection';
import { DECISION_AUDIT_CONSUMER_GROUP, decisionAuditTopics } from '../rollout-audit/decision-audit.wiring';
import { auditedEventTypes } from '../rollout-audit/decision-audit.plan';
import { DecisionAuditProjection } from '../rollout-audit/decision-audit.projection';
import { PROGRESS_BUCKETS_CONSUMER_GROUP, progressBucketsTopics } from '../rollout-history/progress-buckets.wiring';
import { progressHistoryEventTypes } from '../rollout-history/progress-buckets.plan';
import { ProgressBucketsProjection } from '../rollout-history/progress-buckets.projection';
import { REPORTING_SCHEMA } from '../rollout-progress/rollout-progress.migration';
import {
  ROLLOUT_PROGRESS_GROUP,
  rolloutProgressEventTypes,
  rolloutProgressHandler,
} from '../rollout-progress/rollout-progress.consumer';

/** A projection of reporting that can be dropped and rebuilt from the topics on its own. */
export interface RebuildableProjection {
  name: string;
  /** Its consumer group: the one the service runs it in, whose offsets a rebuild resets. */
  groupId: string;
  topics: readonly string[];
  /** The event types it has an effect for; others are settled without a transaction. */
  types: readonly string[];
  /** Its tables in reporting's schema, all of them: truncated together. */
  tables: readonly string[];
  /** A fresh batch handler, and what it leaves to finish once caught up (bounded deferred work). */
  create(): { handleBatch: BatchHandler<Envelope>; settle?: (pool: Pool) => Promise<void> };
}

/** Every projection of reporting; each owns its tables and its consumer group. */
export const reportingProjections: readonly RebuildableProjection[] = [
  {
    name: 'rollout-progress',
    groupId: ROLLOUT_PROGRESS_GROUP,
    topics: [Topics.rolloutEvents, Topics.rolloutGroupEvents, Topics.actionEvents],
    types: rolloutProgressEventTypes,
    tables: ['rollouts', 'rollout_groups', 'group_action_counts', 'rollout_action_facts', 'rollout_positions'],
    create: () => ({ handleBatch: rolloutProgressHandler(REPORTING_SCHEMA) }),
  },
  {
    name: 'actions',
    groupId: ACTIONS_CONSUMER_GROUP,
    topics: actionsProjectionTopics,
    types: actionsProjectedTypes,
    tables: ['actions', 'action_status_history', 'action_rollouts', 'action_groups'],
    create: () => ({ handleBatch: new ActionsProjection().handleBatch }),
  },
  {
    name: 'progress-buckets',
    groupId: PROGRESS_BUCKETS_CONSUMER_GROUP,
    topics: progressBucketsTopics,
    types: progressHistoryEventTypes,
    tables: ['progress_rollouts', 'progress_buckets'],
    create: () => {
      const projection = new ProgressBucketsProjection();
      return { handleBatch: projection.handleBatch, settle: (pool) => projection.finishRollups(pool) };
    },
  },
  {
    name: 'decision-audit',
    groupId: DECISION_AUDIT_CONSUMER_GROUP,
    topics: decisionAuditTopics,
    types: auditedEventTypes,
    tables: ['audit_entries', 'audit_rollouts', 'audit_groups'],
    create: () => ({ handleBatch: new DecisionAuditProjection().handleBatch }),
  },
];

/** The projection of that name; the error lists the names there are. */
export function projectionNamed(name: string): RebuildableProjection {
  const found = reportingProjections.find((p) => p.name === name);
  if (!found) {
    throw new Error(`no projection "${name}": one of ${reportingProjections.map((p) => p.name).join(', ')}`);
  }
  return found;
}
