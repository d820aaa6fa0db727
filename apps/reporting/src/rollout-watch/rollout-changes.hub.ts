import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { NotificationListener } from '@fleetwave/event-store';
import { changedRollouts, rolloutChangesChannel } from './rollout-changes.notify';

type Watcher = () => void;
/** Hears every change: the ids changed, or undefined when anything may have changed. */
type AnyWatcher = (rolloutIds: ReadonlySet<number> | undefined) => void;

/**
 * Fans the projection's change notifications out to the watchers of each rollout. One LISTEN
 * connection serves every watcher, opened while any is there. After a reconnection every
 * watcher is told, since notifications sent meanwhile are lost.
 */
export class RolloutChangesHub implements OnApplicationShutdown {
  private readonly watchers = new Map<number, Set<Watcher>>();
  private readonly anyWatchers = new Set<AnyWatcher>();
  private readonly listener: NotificationListener;
  private readonly dispatch = (payload?: string): void => {
    const ids = changedRollouts(payload);
    for (const [rolloutId, watchers] of this.watchers) {
      if (ids && !ids.has(rolloutId)) continue;
      for (const watcher of watchers) watcher();
    }
    for (const watcher of this.anyWatchers) watcher(ids);
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
    await this.listen();
    return async () => {
      watchers.delete(watcher);
      if (watchers.size === 0) this.watchers.delete(rolloutId);
      await this.unlistenWhenIdle();
    };
  }

  /** Calls `watcher` with the changed ids whenever any rollout changes (a list's signal), until stopped. */
  async watchAll(watcher: AnyWatcher): Promise<() => Promise<void>> {
    this.anyWatchers.add(watcher);
    await this.listen();
    return async () => {
      this.anyWatchers.delete(watcher);
      await this.unlistenWhenIdle();
    };
  }

  private async listen(): Promise<void> {
    if (this.listening) return;
    this.listening = true;
    await this.listener.add(this.dispatch);
  }

  private async unlistenWhenIdle(): Promise<void> {
    if (this.watchers.size > 0 || this.anyWatchers.size > 0 || !this.listening) return;
    this.listening = false;
    await this.listener.remove(this.dispatch);
  }

  async onApplicationShutdown(): Promise<void> {
    this.watchers.clear();
    this.anyWatchers.clear();
    if (this.listening) await this.listener.remove(this.dispatch);
    this.listening = false;
  }
}
