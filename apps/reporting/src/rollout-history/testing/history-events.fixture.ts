import { randomUUID } from 'node:crypto';
import type { ActionStatus } from '@fleetwave/contracts';
import type { BatchItem } from '@fleetwave/messaging';
import type { Envelope } from '@fleetwave/service-kit';
import { item } from '../../rollout-progress/testing/progress-events.fixture';

/** A minute boundary, so that tests can tell 1 s buckets from 1 min ones. */
export const T0 = 28_333_333 * 60_000;

/** ActionsScheduled.v1 of `count` actions at `at`. */
export const scheduledAt = (rolloutId: number, groupId: number, count: number, at: number) =>
  item('ActionsScheduled.v1', { rolloutId, groupId, count, scheduledAt: at });

/** `count` actions of a group (ids from `firstAction`) moving from one status to another at `at`. */
export const movedAt = (
  rolloutId: number,
  groupId: number,
  count: number,
  from: ActionStatus,
  to: ActionStatus,
  at: number,
  firstAction = 0,
) =>
  Array.from({ length: count }, (_, i) =>
    item('ActionStatusChanged.v1', {
      actionId: groupId * 100_000 + firstAction + i,
      rolloutId,
      groupId,
      targetId: firstAction + i,
      controllerId: `dev-${firstAction + i}`,
      from,
      to,
      at,
    }),
  );

/** A batch item as the consumer parses it from Kafka, as a message to publish: key, value and CloudEvents headers. */
export function kafkaMessage(batchItem: BatchItem<Envelope>, at = T0) {
  const { message, context } = batchItem;
  const data = message.data as { rolloutId: number };
  return {
    key: String(data.rolloutId),
    value: { type: message.type, data: message.data, metadata: message.metadata ?? { actor: 'test' } },
    headers: {
      ce_specversion: '1.0',
      ce_id: context.messageId || randomUUID(),
      ce_type: message.type,
      ce_source: 'fleetwave/test',
      ce_time: new Date(at).toISOString(),
    },
  };
}
