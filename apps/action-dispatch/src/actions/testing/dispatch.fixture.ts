import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { RecordedEvent } from '@fleetwave/contracts';
import { PostgresEventStore } from '@fleetwave/event-store';
import type { BatchHandler, BatchItem, BatchResult } from '@fleetwave/messaging';
import { migrateSchema, withTransaction } from '@fleetwave/platform';
import type { Envelope } from '@fleetwave/service-kit';
import { freshId, rolloutCreatedData, TEST_NOW, testDatabaseUrl, uniqueName } from '@fleetwave/testing';
import type { DispatchDeps } from '../action-streams';
import { dispatchMigrationFor } from '../actions.migration';
import { DispatchChunkStep, type ChunkSizes, type DispatchOutcome } from '../dispatch/dispatch-chunk.step';
import { createDispatchListener } from '../dispatch/dispatch.listener';
import { DispatchWorker, type DispatchWorkerOptions } from '../dispatch/dispatch.worker';

export const NOW = TEST_NOW;

/** A fresh schema holding the dispatch tables and the event store, dropped by {@link dispose}. */
export class DispatchFixture {
  readonly pool = new pg.Pool({ connectionString: testDatabaseUrl(), max: 4 });
  readonly schema = uniqueName('dispatch_test');
  readonly store = new PostgresEventStore(this.pool, this.schema);
  readonly deps: DispatchDeps = { store: this.store, schema: this.schema, clock: () => NOW };
  private offset = 0;

  async setUp(): Promise<void> {
    await this.store.migrate();
    await migrateSchema(this.pool, dispatchMigrationFor(this.schema));
  }

  async dispose(): Promise<void> {
    await this.pool.query(`drop schema if exists ${this.schema} cascade`);
    await this.pool.end();
  }

  /** An item as the consumer hands it over: a fresh message id and the next offset. */
  item<T>(message: T, key = 'key'): BatchItem<T> {
    const offset = String(this.offset++);
    return {
      message,
      context: { topic: 'test', partition: 0, offset, key, headers: {}, messageId: randomUUID() },
    };
  }

  /** Runs a batch handler in one real transaction, as the consumer does. */
  run<T>(handler: BatchHandler<T>, items: BatchItem<T>[]): Promise<void | BatchResult> {
    return withTransaction(this.pool, (tx) => handler(items, { topic: 'test', partition: 0, tx }));
  }

  /**
   * Works pending dispatch work chunk by chunk, each in its own transaction as the worker does,
   * until nothing is pending or `maxChunks` ran; returns what each chunk did, in order.
   */
  async dispatch(sizes?: ChunkSizes, maxChunks = Infinity, deps = this.deps): Promise<DispatchOutcome[]> {
    const step = new DispatchChunkStep(deps, sizes);
    const outcomes: DispatchOutcome[] = [];
    while (outcomes.length < maxChunks) {
      const outcome = await withTransaction(this.pool, (tx) => step.run(tx));
      if (!outcome) break;
      outcomes.push(outcome);
    }
    return outcomes;
  }

  /** A dispatch worker on the fixture's schema, listening for commits of new work; started by the caller. */
  worker(sizes?: ChunkSizes, options: DispatchWorkerOptions = {}, deps = this.deps): DispatchWorker {
    return new DispatchWorker(
      this.pool,
      new DispatchChunkStep(deps, sizes),
      this.schema,
      createDispatchListener(testDatabaseUrl(), this.schema),
      options,
    );
  }

  async events(stream: string): Promise<RecordedEvent[]> {
    return this.store.readStream(stream);
  }

  async actions(rolloutId: number): Promise<{ id: number; controller: string; status: string; revision: number }[]> {
    const { rows } = await this.pool.query<{ id: string; controller_id: string; status: string; revision: number }>(
      `select id, controller_id, status, revision from ${this.schema}.actions where rollout_id = $1 order by id`,
      [rolloutId],
    );
    return rows.map((r) => ({ id: Number(r.id), controller: r.controller_id, status: r.status, revision: r.revision }));
  }
}

export { freshId };

/** A rollout's creation event with groups of the given sizes (ids fresh), and its members. */
export function rolloutOf(sizes: number[]): {
  created: Envelope;
  members: Envelope[];
  rolloutId: number;
  groups: number[];
} {
  const rolloutId = freshId();
  const groups = sizes.map(() => freshId());
  const data = rolloutCreatedData(rolloutId, groups);
  const members = groups.map((groupId, g) => ({
    type: 'RolloutGroupMembersAssigned.v1',
    data: {
      rolloutId,
      groupId,
      chunk: 0,
      members: Array.from({ length: sizes[g] }, (_, i) => ({
        targetId: freshId(),
        controllerId: `dev-${groupId}-${i}`,
      })),
    },
  }));
  return { created: { type: 'RolloutCreated.v1', data }, members, rolloutId, groups };
}

/** RolloutStarted.v1; `confirmationFlowEnabled` is left out (as in older events) unless given. */
export const rolloutStarted = (rolloutId: number, confirmationFlowEnabled?: boolean): Envelope => ({
  type: 'RolloutStarted.v1',
  data: {
    rolloutId,
    startedAt: NOW,
    startedBy: 'test',
    ...(confirmationFlowEnabled === undefined ? {} : { confirmationFlowEnabled }),
  },
});

export const groupStarted = (rolloutId: number, groupId: number, index = 1): Envelope => ({
  type: 'RolloutGroupStarted.v1',
  data: { rolloutId, groupId, index, startedAt: NOW },
});

export const rolloutStopping = (rolloutId: number): Envelope => ({
  type: 'RolloutStopping.v1',
  data: { rolloutId, requestedAt: NOW, requestedBy: 'test' },
});

export const rolloutDeleting = (rolloutId: number): Envelope => ({
  type: 'RolloutDeleting.v1',
  data: { rolloutId, requestedAt: NOW, requestedBy: 'test' },
});

export const rolloutStopped = (rolloutId: number): Envelope => ({
  type: 'RolloutStopped.v1',
  data: { rolloutId, stoppedAt: NOW },
});

export const rolloutRemoved = (rolloutId: number): Envelope => ({
  type: 'RolloutRemoved.v1',
  data: { rolloutId, removedAt: NOW, removedBy: 'test' },
});
