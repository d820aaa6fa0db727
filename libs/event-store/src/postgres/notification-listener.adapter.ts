import type pg from 'pg';
import type { EventStoreLogger } from '../event-subscription.port';

const firstRetryMs = 100;
const maxRetryMs = 5_000;

/**
 * Called with a notification's payload, or with no payload after a (re)connection: notifications
 * sent while no connection listened are gone, so anything may have changed.
 */
export type NotificationHandler = (payload?: string) => void;

/**
 * One LISTEN connection on a channel, shared by its subscribers and opened while any is there
 * (the event store's subscriptions share one per store). When the connection breaks (Postgres
 * restart) it logs and reconnects with bounded backoff, and wakes everyone afterwards.
 */
export class NotificationListener {
  private readonly subscribers = new Set<NotificationHandler>();
  private readonly retired = new WeakSet<pg.Client>();
  private client?: pg.Client;
  private connecting?: Promise<void>;
  private retryTimer?: NodeJS.Timeout;
  private retryMs = 0;

  constructor(
    private readonly createClient: () => pg.Client,
    private readonly channel: string,
    private readonly logger: EventStoreLogger,
  ) {}

  /** Calls `onNotify` on every notification; resolves after the first connection attempt. */
  async add(onNotify: NotificationHandler): Promise<void> {
    this.subscribers.add(onNotify);
    if (!this.client && !this.connecting && !this.retryTimer) this.connecting = this.connect();
    await this.connecting;
  }

  /** Stops calling `onNotify`; the last one out closes the connection. */
  async remove(onNotify: NotificationHandler): Promise<void> {
    this.subscribers.delete(onNotify);
    if (this.subscribers.size > 0) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    await this.connecting;
    const client = this.client;
    this.client = undefined;
    if (client) await this.retire(client);
  }

  private async connect(): Promise<void> {
    const client = this.createClient();
    client.on('notification', (message) => this.wakeAll(message.payload));
    client.on('error', (error) => this.onLost(client, error));
    client.on('end', () => this.onLost(client, new Error('connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN "${this.channel}"`);
    } catch (error) {
      this.onLost(client, error);
      return;
    } finally {
      this.connecting = undefined;
    }
    if (this.subscribers.size === 0) return this.retire(client);
    this.client = client;
    this.retryMs = 0;
    this.wakeAll();
  }

  private onLost(client: pg.Client, error: unknown): void {
    if (this.retired.has(client)) return;
    void this.retire(client);
    if (this.client === client) this.client = undefined;
    if (this.subscribers.size === 0) return;
    this.retryMs = Math.min(Math.max(firstRetryMs, this.retryMs * 2), maxRetryMs);
    this.logger.warn(`LISTEN ${this.channel} connection lost, reconnecting in ${this.retryMs} ms`, error);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connecting = this.connect();
    }, this.retryMs);
  }

  private async retire(client: pg.Client): Promise<void> {
    this.retired.add(client);
    await client.end().catch(() => undefined);
  }

  private wakeAll(payload?: string): void {
    for (const wake of this.subscribers) wake(payload);
  }
}
