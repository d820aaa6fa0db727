import type { DataSource } from 'typeorm';
import { REPORTING_SCHEMA as S } from '../rollout-progress/rollout-progress.migration';
import { NotFoundInReadModel } from '../rollout-queries/not-found';
import type { AuditFigures } from './audit-reasons';

/** One entry of `GET /rollouts/{id}/audit`; absent fields had no value. */
export interface AuditView {
  at: number;
  subject: 'rollout' | 'group';
  groupId?: number;
  from?: string;
  to: string;
  eventType: string;
  eventId: string;
  causationId?: string;
  correlationId?: string;
  actor?: string;
  reason: string;
  figures?: AuditFigures;
}

/** Runs one SQL statement and returns its rows (TypeORM's `DataSource.query` has this shape). */
export type SqlQuery = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

const optional = <T>(value: T | null | undefined): T | undefined => (value === null ? undefined : value);

/** Reads a rollout's audit trail in the order it happened. */
export class AuditQueries {
  constructor(private readonly sql: SqlQuery) {}

  /** Over TypeORM's connection, as the service wires it. */
  static over(db: DataSource): AuditQueries {
    return new AuditQueries((sql, params) => db.query(sql, params));
  }

  async audit(rolloutId: number): Promise<AuditView[]> {
    const known = await this.sql(`select 1 from ${S}.rollouts where id = $1`, [rolloutId]);
    if (known.length === 0) throw new NotFoundInReadModel('Rollout', rolloutId);
    const rows = await this.sql(
      `select at, subject, group_id, from_state, to_state, event_type, event_id, causation_id, correlation_id, actor,
         reason, figures
       from ${S}.audit_entries where rollout_id = $1 order by at, rank, seq, event_id`,
      [rolloutId],
    );
    return rows.map((row) => ({
      at: Number(row.at),
      subject: row.subject as AuditView['subject'],
      groupId: row.group_id === null ? undefined : Number(row.group_id),
      from: optional(row.from_state as string | null),
      to: row.to_state as string,
      eventType: row.event_type as string,
      eventId: row.event_id as string,
      causationId: optional(row.causation_id as string | null),
      correlationId: optional(row.correlation_id as string | null),
      actor: optional(row.actor as string | null),
      reason: row.reason as string,
      figures: optional(row.figures as AuditFigures | null),
    }));
  }
}
