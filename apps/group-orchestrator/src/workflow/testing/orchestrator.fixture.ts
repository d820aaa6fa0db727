import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { ActionStatus, RecordedEvent } from '@fleetwave/contracts';
import { PostgresEventStore } from '@fleetwave/event-store';
import type { BatchHandler, BatchItem, BatchResult } from '@fleetwave/messaging';
import { migrateSchema, withTransaction } from '@fleetwave/platform';
import type { Envelope } from '@fleetwave/service-kit';
import { freshId, rolloutCreatedData, TEST_NOW, testDatabaseUrl, uniqueName } from '@fleetwave/testing';
import { orchestratorMigrationFor } from '../group-workflow.migration';
import { GroupWorkflowRepository, workflowStream } from '../group-workflow.repository';

export const NOW = TEST_NOW;
export { freshId };

/** A fresh schema holding the group counters and the event store, dropped by {@link dispose}. */
export class OrchestratorFixture {
  readonly pool = new pg.Pool({ connectionString: testDatabaseUrl(), max: 4 });
  readonly schema = uniqueName('orchestrator_test');
  readonly store = new PostgresEventStore(this.pool, this.schema);
  readonly workflows = new GroupWorkflowRepository(this.store, this.schema);
  private offset = 0;

  async setUp(): Promise<void> {
    await this.store.migrate();
    await migrateSchema(this.pool, orchestratorMigrationFor(this.schema));
  }

  async dispose(): Promise<void> {
    await this.pool.query(`drop schema if exists ${this.schema} cascade`);
    await this.pool.end();
  }

  item(message: Envelope): BatchItem<Envelope> {
    return {
      message,
      context: {
        topic: 'test',
        partition: 0,
        offset: String(this.offset++),
        key: null,
        headers: {},
        messageId: randomUUID(),
      },
    };
  }

  /** Runs a batch handler over events (or items built with {@link item}) in one real transaction. */
  run(handler: BatchHandler<Envelope>, batch: (Envelope | BatchItem<Envelope>)[]): Promise<void | BatchResult> {
    const items = batch.map((e) => ('context' in e ? e : this.item(e)));
    return withTransaction(this.pool, (tx) => handler(items, { topic: 'test', partition: 0, tx }));
  }

  workflow(rolloutId: number): Promise<RecordedEvent[]> {
    return this.store.readStream(workflowStream(rolloutId));
  }

  async counters(
    rolloutId: number,
  ): Promise<{ groupId: number; finished: number; error: number; cancelled: number }[]> {
    const { rows } = await this.pool.query<{ group_id: string; finished: number; error: number; cancelled: number }>(
      `select group_id, finished, error, cancelled from ${this.schema}.group_counters where rollout_id = $1 order by group_id`,
      [rolloutId],
    );
    return rows.map((r) => ({
      groupId: Number(r.group_id),
      finished: r.finished,
      error: r.error,
      cancelled: r.cancelled,
    }));
  }
}

/** A rollout's created, ready and started events, with groups of the given sizes. */
export function rolloutEvents(sizes: number[], threshold = 50) {
  const rolloutId = freshId();
  const groups = sizes.map(() => freshId());
  const created: Envelope = {
    type: 'RolloutCreated.v1',
    data: rolloutCreatedData(rolloutId, groups, threshold),
  };
  const ready: Envelope = {
    type: 'RolloutReady.v1',
    data: {
      rolloutId,
      totalTargets: sizes.reduce((a, b) => a + b, 0),
      groups: groups.map((groupId, i) => ({ groupId, totalTargets: sizes[i] })),
    },
  };
  const started: Envelope = { type: 'RolloutStarted.v1', data: { rolloutId, startedAt: NOW, startedBy: 'test' } };
  return { rolloutId, groups, created, ready, started };
}

let nextAction = Math.floor(Math.random() * 1_000_000_000);
/** An action's status change in a group, as action-dispatch publishes it. */
export function statusChange(rolloutId: number, groupId: number, from: ActionStatus, to: ActionStatus): Envelope {
  const actionId = ++nextAction;
  return {
    type: 'ActionStatusChanged.v1',
    data: { actionId, rolloutId, groupId, targetId: actionId, controllerId: `dev-${actionId}`, from, to, at: NOW },
  };
}

/** Lifecycle events of a rollout as rollout-command publishes them, at NOW by `ops`. */
export const lifecycle = {
  paused: (
    rolloutId: number,
    cause: 'MANUAL' | 'ERROR_CONDITION' | 'SUCCESS_ACTION' = 'MANUAL',
    groupId?: number,
  ): Envelope => ({
    type: 'RolloutPaused.v1',
    data: { rolloutId, pausedAt: NOW, pausedBy: 'ops', cause, ...(groupId === undefined ? {} : { groupId }) },
  }),
  resumed: (rolloutId: number): Envelope => ({
    type: 'RolloutResumed.v1',
    data: { rolloutId, resumedAt: NOW, resumedBy: 'ops' },
  }),
  stopping: (rolloutId: number): Envelope => ({
    type: 'RolloutStopping.v1',
    data: { rolloutId, requestedAt: NOW, requestedBy: 'ops' },
  }),
  deleting: (rolloutId: number): Envelope => ({
    type: 'RolloutDeleting.v1',
    data: { rolloutId, requestedAt: NOW, requestedBy: 'ops' },
  }),
};

/** action-dispatch's word that every action of a stopping or deleting rollout is final. */
export function actionsSettled(rolloutId: number, reason: 'STOPPED' | 'DELETED' = 'STOPPED'): Envelope {
  return { type: 'RolloutActionsSettled.v1', data: { rolloutId, reason, settledAt: NOW } };
}

/** A workflow stream's events from `revision` on, as `{ type, data }` (for whole-event comparisons). */
export const eventsFrom = (events: RecordedEvent[], revision: number) =>
  events.filter((e) => e.revision >= revision).map(({ type, data }) => ({ type, data }));

/**
 * A dynamic rollout's created, ready and started events: static groups of the given sizes (their
 * members in one chunk each, before ready) and then a dynamic group of `capacity`, empty at ready.
 */
export function dynamicRolloutEvents(staticSizes: number[], capacity: number) {
  const r = rolloutEvents([...staticSizes, 0]);
  const created = r.created.data as ReturnType<typeof rolloutCreatedData>;
  const last = created.groups[created.groups.length - 1];
  created.dynamic = { nameSuffix: 'dyn', targetCount: capacity };
  last.dynamic = { capacity };
  const chunks = staticSizes.map((size, i) => membersChunk(r.rolloutId, r.groups[i], 0, size));
  return { ...r, chunks, dynamicGroup: last };
}

let nextTarget = Math.floor(Math.random() * 1_000_000_000);
/** A RolloutGroupMembersAssigned.v1 chunk of `size` fresh targets. */
export function membersChunk(rolloutId: number, groupId: number, chunk: number, size: number): Envelope {
  const members = Array.from({ length: size }, () => {
    const targetId = ++nextTarget;
    return { targetId, controllerId: `dev-${targetId}` };
  });
  return { type: 'RolloutGroupMembersAssigned.v1', data: { rolloutId, groupId, chunk, members } };
}

/** The next dynamic group of a dynamic rollout, as rollout-command adds it when the last one is full. */
export function groupAddedEvent(
  rolloutId: number,
  template: ReturnType<typeof rolloutCreatedData>['groups'][number],
  groupId: number,
  index: number,
): Envelope {
  return {
    type: 'RolloutGroupAdded.v1',
    data: { rolloutId, group: { ...template, groupId, index, name: `dyn-${index}` }, addedAt: NOW },
  };
}
