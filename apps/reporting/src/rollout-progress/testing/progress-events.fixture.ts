import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { ActionStatus, ActionType, RolloutGroupDefinition } from '@fleetwave/contracts';
import type { BatchItem, BatchResult } from '@fleetwave/messaging';
import { withTransaction } from '@fleetwave/platform';
import type { Envelope } from '@fleetwave/service-kit';
import { REPORTING_SCHEMA as S } from '../rollout-progress.migration';
import type { RolloutProgressProjection } from '../rollout-progress.projection';

// Reporting's schema is fixed, so every test works on rollout and group ids of its own.
let nextId = Date.now() * 1000;
export const freshId = (): number => (nextId += 100);

/** One message of a batch, as the consumer hands it over. */
export const item = (type: string, data: object, metadata?: Record<string, unknown>): BatchItem<Envelope> => {
  const messageId = randomUUID();
  return {
    message: { type, data, metadata },
    context: { topic: 'test', partition: 0, offset: '0', key: null, headers: {}, messageId },
  };
};

const policy: Omit<RolloutGroupDefinition, 'groupId' | 'index' | 'name' | 'targetPercentage'> = {
  successCondition: { condition: 'THRESHOLD', expression: 100 },
  successAction: { action: 'NEXTGROUP' },
  errorCondition: { condition: 'THRESHOLD', expression: 50 },
  errorAction: { action: 'PAUSE' },
  confirmationRequired: false,
};

/** Definition and ready: what rollout.events.v1 carries for a rollout with these group sizes (group ids follow the rollout's). */
export function createdAndReady(rolloutId: number, sizes: number[], actionType: ActionType = 'forced') {
  const groups = sizes.map((size, i) => ({ groupId: rolloutId + i + 1, totalTargets: size }));
  const total = sizes.reduce((a, b) => a + b, 0);
  return [
    item('RolloutCreated.v1', {
      rolloutId,
      name: `r-${rolloutId}`,
      targetFilterQuery: 'name==*',
      distributionSet: { id: 1, name: 'ds', version: '1', modules: [] },
      actionType,
      weight: 500,
      groups: groups.map((g, i) => ({
        ...policy,
        groupId: g.groupId,
        index: i + 1,
        name: `g${i + 1}`,
        targetPercentage: 100,
      })),
      createdAt: 1_000,
      createdBy: 'tester',
    }),
    item('RolloutReady.v1', { rolloutId, totalTargets: total, groups }),
  ];
}

/** Definition, ready, start. */
export const rolloutEvents = (rolloutId: number, sizes: number[], actionType: ActionType = 'forced') => [
  ...createdAndReady(rolloutId, sizes, actionType),
  item('RolloutStarted.v1', { rolloutId, startedAt: 2_000, startedBy: 'tester' }),
];

export const scheduled = (rolloutId: number, groupId: number, count: number) =>
  item('ActionsScheduled.v1', { rolloutId, groupId, count });

/** `count` actions of a group moving from one status to another. */
export const moved = (rolloutId: number, groupId: number, count: number, from: ActionStatus, to: ActionStatus) =>
  Array.from({ length: count }, (_, i) =>
    item('ActionStatusChanged.v1', {
      actionId: groupId * 1000 + i,
      rolloutId,
      groupId,
      targetId: i,
      controllerId: `dev-${i}`,
      from,
      to,
      at: 3_000,
    }),
  );

export const groupStarted = (rolloutId: number, groupId: number, startedAt = 2_100) =>
  item('RolloutGroupStarted.v1', { rolloutId, groupId, index: 1, startedAt });
export const groupFinished = (rolloutId: number, groupId: number, finishedAt = 4_000) =>
  item('RolloutGroupFinished.v1', {
    rolloutId,
    groupId,
    index: 1,
    finishedAt,
    total: 0,
    finished: 0,
    error: 0,
    cancelled: 0,
  });
export const rolloutFinished = (rolloutId: number) => item('RolloutFinished.v1', { rolloutId, finishedAt: 5_000 });

/** Applies batches through the projection in a transaction each, and reads the views back. */
export function progressReader(pool: Pool, projection: RolloutProgressProjection) {
  return {
    apply: (items: BatchItem<Envelope>[]): Promise<void | BatchResult> =>
      withTransaction(pool, (tx) => projection.handleBatch(items, { topic: 'test', partition: 0, tx })),
    rolloutStatus: async (id: number) =>
      (await pool.query<{ status: string }>(`select status from ${S}.rollout_views where id = $1`, [id])).rows[0]
        ?.status,
    groupStatus: async (id: number) =>
      (await pool.query<{ status: string }>(`select status from ${S}.rollout_group_views where id = $1`, [id])).rows[0]
        ?.status,
    counts: async (groupId: number) =>
      (
        await pool.query(
          `select scheduled, running, finished, error, cancelled from ${S}.group_action_counts where group_id = $1`,
          [groupId],
        )
      ).rows[0],
  };
}
