import type { Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditQueries } from './audit.queries';

/** The audit trail over the query connection pool of the service. */
export const auditQueriesProvider: Provider = {
  provide: AuditQueries,
  useFactory: (db: DataSource) => AuditQueries.over(db),
  inject: [DataSource],
};
