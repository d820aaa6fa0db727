import type { Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Topics } from '@fleetwave/contracts';
import type { ServiceKit } from '@fleetwave/service-kit';
import { auditedEventTypes } from './decision-audit.plan';
import { DecisionAuditProjection } from './decision-audit.projection';
import { AuditQueries } from './audit.queries';

/** The consumer group of the decision audit, its own so that it can be rebuilt alone. */
export const DECISION_AUDIT_CONSUMER_GROUP = 'reporting.decision-audit';

/** Rollout lifecycle and group decisions. */
export const decisionAuditTopics = [Topics.rolloutEvents, Topics.rolloutGroupEvents];

/** Wires the projection into the service kit (its tables come with reporting's migration plan). */
export function wireDecisionAudit(kit: ServiceKit): void {
  kit.consumeEventBatches(
    DECISION_AUDIT_CONSUMER_GROUP,
    decisionAuditTopics,
    new DecisionAuditProjection().handleBatch,
    auditedEventTypes,
  );
}

/** The audit trail over the query connection pool of the service. */
export const auditQueriesProvider: Provider = {
  provide: AuditQueries,
  useFactory: (db: DataSource) => AuditQueries.over(db),
  inject: [DataSource],
};
