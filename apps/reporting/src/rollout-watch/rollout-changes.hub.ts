import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { NotificationListener } from '@fleetwave/event-store';
import { changedRollouts, rolloutChangesChannel } from './rollout-changes.notify';

type Watcher = () => void;

/**
 * Fans the projection's change notifications out to the watchers of each rollout. One LISTEN
 * connection serves every watcher, opened while any is there. After a reconnection every
 * watcher is told, since notifications sent meanwhile are lost.
 */
export class RolloutChangesHub implements OnApplicationShutdown {
  private readonly watchers = new Map<number, Set<Watcher>>();
  private readonly listener: NotificationListener;
  private readonly dispatch = (payload?: string): void => {
    const ids = changedRollouts(payload);
    for (const [rolloutId, watchers] of this.watchers) {
      if (ids && !ids.has(rolloutId)) continue;
      for (const watcher of watchers) watcher();
    }
  };
  private listening = false;

  constructor(databaseUrl: string, schema: string) {
    const logger = new Logger('RolloutChanges');
    this.listener = new NotificationListener(
      () => new pg.Client({ connectionString: databaseUrl, application_name: 'reporting.rollout-changes' }),
      rolloutChangesChannel(schema),
      {
        warn: (m, ...d) => logger.warn(`${m} ${d.map(String).join(' ')}`),
        error: (m, ...d) => logger.error(`${m} ${d.map(String).join(' ')}`),
      },
    );
  }

  /** Calls `watcher` whenever the rollout changes, until the returned function is called. */
  async watch(rolloutId: number, watcher: Watcher): Promise<() => Promise<void>> {
    const watchers = this.watchers.get(rolloutId) ?? new Set<Watcher>();
    watchers.add(watcher);
    this.watchers.set(rolloutId, watchers);
    if (!this.listening) {
      this.listening = true;
      await this.listener.add(this.dispatch);
    }
    return async () => {
      watchers.delete(watcher);
      if (watchers.size === 0) this.watchers.delete(rolloutId);
      if (this.watchers.size === 0 && this.listening) {
        this.listening = false;
        await this.listener.remove(this.dispatch);
      }
    };
  }

  async onApplicationShutdown(): Promise<void> {
    this.watchers.clear();
    if (this.listening) await this.listener.remove(this.dispatch);
    this.listening = false;
  }
}
