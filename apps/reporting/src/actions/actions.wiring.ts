import type { Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ActionQueries } from './queries/action.queries';

/** The read side of the actions, over the query connection pool of the service. */
export const actionQueriesProvider: Provider = {
  provide: ActionQueries,
  useFactory: (db: DataSource) => new ActionQueries((sql, params) => db.query(sql, params)),
  inject: [DataSource],
};
