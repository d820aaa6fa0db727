import { randomUUID } from 'node:crypto';
import type { ActionStatus, ScheduledAction } from '@fleetwave/contracts';
import type { BatchItem } from '@fleetwave/messaging';
import type { Envelope } from '@fleetwave/service-kit';

// Reporting's schema is fixed, so every test works on rollout, group and action ids of its own,
// low enough that their status entries' ids stay exact numbers.
let nextId = Date.now() * 4;
/** A fresh base id; the ids up to 999 above it are the test's own. */
export const freshId = (): number => (nextId += 1_000);

/** One message of a batch, as the consumer hands it over; `time` is the CloudEvents time header. */
export const item = (type: string, data: object, time?: string): BatchItem<Envelope> => {
  const messageId = randomUUID();
  return {
    message: { type, data },
    context: {
      topic: 'test',
      partition: 0,
      offset: '0',
      key: null,
      headers: {},
      messageId,
      cloudEvent: time === undefined ? undefined : { id: messageId, type, source: 'test', time },
    },
  };
};

/** RolloutCreated.v1 of a time-forced rollout `r-<id>` with groups `g1`, `g2` … of these ids. */
export const created = (rolloutId: number, groupIds: number[]) =>
  item('RolloutCreated.v1', {
    rolloutId,
    name: `r-${rolloutId}`,
    targetFilterQuery: 'name==*',
    distributionSet: { id: 3, name: 'os', version: '2.0', modules: [] },
    actionType: 'timeforced',
    forceTime: 9_000,
    weight: 600,
    groups: groupIds.map((groupId, i) => ({
      groupId,
      index: i + 1,
      name: `g${i + 1}`,
      targetPercentage: 100,
      confirmationRequired: false,
      successCondition: { condition: 'THRESHOLD', expression: 100 },
      successAction: { action: 'NEXTGROUP' },
      errorCondition: { condition: 'THRESHOLD', expression: 50 },
      errorAction: { action: 'PAUSE' },
    })),
    createdAt: 1_000,
    createdBy: 'ann',
  });

export const scheduledWith = (rolloutId: number, groupId: number, actions: ScheduledAction[], scheduledAt: number) =>
  item('ActionsScheduled.v1', { rolloutId, groupId, count: actions.length, actions, scheduledAt });

/** Actions `base+1 …` of a group on targets `base+1 …` named `dev-<base+i>`. */
export const scheduledActions = (base: number, count: number): ScheduledAction[] =>
  Array.from({ length: count }, (_, i) => ({
    actionId: base + i + 1,
    targetId: base + i + 1,
    controllerId: `dev-${base + i + 1}`,
  }));

export interface ChangeSpec {
  actionId: number;
  rolloutId: number;
  groupId: number;
  to: ActionStatus;
  at: number;
  from?: ActionStatus;
  messages?: string[];
  code?: number;
  targetId?: number;
  controllerId?: string;
}

/** ActionStatusChanged.v1 of an action created by {@link scheduledActions} (or the target given). */
export const statusChanged = (change: ChangeSpec, time?: string) =>
  item(
    'ActionStatusChanged.v1',
    {
      targetId: change.targetId ?? change.actionId * 10,
      controllerId: change.controllerId ?? `d-${change.actionId}`,
      from: change.from ?? 'scheduled',
      ...change,
    },
    time,
  );
