import type { Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ProgressQueries } from './progress.queries';

/** Progress series and completion estimates over the query connection pool of the service. */
export const progressQueriesProvider: Provider = {
  provide: ProgressQueries,
  useFactory: (db: DataSource) => ProgressQueries.over(db),
  inject: [DataSource],
};
