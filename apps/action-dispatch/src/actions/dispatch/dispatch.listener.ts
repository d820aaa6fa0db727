import { Logger } from '@nestjs/common';
import pg from 'pg';
import { dispatchChannel } from './dispatch-work.queries';

/**
 * Listens on the schema's dispatch channel with a connection of its own (outside the pool: it
 * stays open for the life of the service) and calls back on every notification, which Postgres
 * delivers when the transaction that recorded new work commits. A lost connection is reopened
 * with backoff; meanwhile the worker's poll finds the work.
 */
export class DispatchListener {
  private readonly logger = new Logger('ActionDispatch');
  private client?: pg.Client;
  private stopped = true;
  private retry?: NodeJS.Timeout;

  constructor(
    private readonly databaseUrl: string,
    private readonly schema: string,
    private readonly reconnectMs = 1_000,
  ) {}

  start(onNotification: () => void): void {
    this.stopped = false;
    void this.connect(onNotification);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(onNotification: () => void): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl, application_name: 'action-dispatch.listener' });
    const reconnect = (error: Error): void => {
      if (this.client !== client) return;
      this.client = undefined;
      void client.end().catch(() => undefined);
      if (this.stopped) return;
      this.logger.warn(`dispatch listener lost its connection, reconnecting: ${error.message}`);
      this.retry = setTimeout(() => void this.connect(onNotification), this.reconnectMs);
    };
    this.client = client;
    client.on('error', reconnect);
    client.on('notification', () => onNotification());
    try {
      await client.connect();
      await client.query(`listen "${dispatchChannel(this.schema)}"`);
      // Work committed while no connection listened would wait for the next poll otherwise.
      onNotification();
    } catch (error) {
      reconnect(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
