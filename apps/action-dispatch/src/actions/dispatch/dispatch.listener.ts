import { Logger } from '@nestjs/common';
import pg from 'pg';
import { NotificationListener } from '@fleetwave/event-store';
import { dispatchChannel } from './dispatch-work.queries';

/**
 * The LISTEN connection on the schema's dispatch channel (a connection of its own, outside the
 * pool), which Postgres notifies when the transaction that recorded new work commits. It
 * reconnects with backoff when lost and wakes the worker afterwards; meanwhile the worker's poll
 * finds the work.
 */
export function createDispatchListener(databaseUrl: string, schema: string): NotificationListener {
  const logger = new Logger('ActionDispatch');
  return new NotificationListener(
    () => new pg.Client({ connectionString: databaseUrl, application_name: 'action-dispatch.listener' }),
    dispatchChannel(schema),
    {
      warn: (message, ...details) => logger.warn(`${message} ${details.map(String).join(' ')}`),
      error: (message, ...details) => logger.error(`${message} ${details.map(String).join(' ')}`),
    },
  );
}
