import { isEvent, type ActionType, type IntegrationEventType, type RolloutCreatedV1 } from '@fleetwave/contracts';
import type { BatchItem } from '@fleetwave/messaging';
import type { Envelope } from '@fleetwave/service-kit';
import { lifecycleEventTypes, lifecycleStep, terminalStates, type RolloutState } from './rollout-lifecycle';
import { Bucket, bucketDependsOnActionType, bucketOf } from './status-buckets';
import { planDynamicGroups, type DynamicGroupsPlan } from './dynamic-groups.plan';

/** The event types the projection has an effect for; the consumer settles all others without a transaction. */
export const projectedEventTypes: IntegrationEventType[] = [
  'RolloutCreated.v1',
  ...lifecycleEventTypes,
  'RolloutRemoved.v1',
  'RolloutGroupStarted.v1',
  'RolloutGroupFinished.v1',
  'RolloutGroupFailed.v1',
  'ActionsScheduled.v1',
  'ActionStatusChanged.v1',
  'RolloutActionsSettled.v1',
  'RolloutGroupAdded.v1',
  'RolloutGroupMembersAssigned.v1',
];

const buckets: readonly Bucket[] = ['scheduled', 'running', 'finished', 'error', 'cancelled'];

/** Lifecycle facts of a rollout learnt in the batch; null where the batch says nothing. */
export interface RolloutChange {
  rolloutId: number;
  totalTargets: number | null;
  readyAt: number | null;
  startedAt: number | null;
  finishedAt: number | null;
  /** The state of the batch's last lifecycle event that sets one. */
  state: RolloutState | null;
  /** Time and actor of the batch's last non-terminal lifecycle event that has a time. */
  modifiedAt: number | null;
  modifiedBy: string | null;
  /** Time and actor of the batch's last terminal event (shown once the counts add up). */
  terminalAt: number | null;
  terminalBy: string | null;
  /** The last approval decision of the batch: decider and remark (null decider: none). */
  approvalDecidedBy: string | null;
  approvalRemark: string | null;
  /** The last update of the batch; a null description leaves the stored one. */
  name: string | null;
  description: string | null;
}

/** One group's net count deltas and lifecycle facts over the batch. */
export interface GroupChange {
  groupId: number;
  rolloutId: number;
  deltas: Record<Bucket, number>;
  startedAt: number | null;
  finishedAt: number | null;
  failedAt: number | null;
}

/** A batch folded into one write per table; rows sorted by id so concurrent batches lock in the same order. */
export interface ProgressPlan {
  created: RolloutCreatedV1[];
  rollouts: RolloutChange[];
  groupTotals: { groupId: number; totalTargets: number }[];
  groups: GroupChange[];
  /** Rollouts whose actions are all final (stopping or deleting ones), with the first time learnt. */
  settled: { rolloutId: number; settledAt: number }[];
  /** Rollouts removed (deleted before they started): their rows go, after every other write. */
  removed: number[];
  /** Groups a dynamic rollout added, and members taken in after ready (see {@link planDynamicGroups}). */
  dynamic: DynamicGroupsPlan;
  /** Message ids of items with no effect (a status change within one bucket, a type not projected). */
  ignored: string[];
}

/** Every rollout whose read model the plan changes. */
export function touchedRollouts(plan: ProgressPlan): number[] {
  return [
    ...plan.created.map((r) => r.rolloutId),
    ...plan.rollouts.map((r) => r.rolloutId),
    ...plan.groups.map((g) => g.rolloutId),
    ...plan.settled.map((r) => r.rolloutId),
    ...plan.removed,
    ...plan.dynamic.added.map((a) => a.rolloutId),
    ...plan.dynamic.growth.map((g) => g.rolloutId),
  ];
}

/** Rollouts whose action type decides the bucket of some status change in the batch. */
export function rolloutsNeedingActionType(items: BatchItem<Envelope>[]): number[] {
  const ids = new Set<number>();
  for (const { message } of items) {
    if (!isEvent(message, 'ActionStatusChanged.v1')) continue;
    const change = message.data;
    if (bucketDependsOnActionType(change.from) || bucketDependsOnActionType(change.to)) ids.add(change.rolloutId);
  }
  return [...ids];
}

/**
 * Folds a batch into net effects. Facts (ready, started, finished, totals, group start, finish
 * and failure, settled actions) keep their first value, so they commute across topics and
 * re-applying an event changes nothing. Count deltas are sums and commute as well. The state,
 * lastModified, approval and name of a rollout come from rollout.events.v1 alone, where one
 * rollout's events are on one partition in the order rollout-command appended them: the last
 * event of the batch wins, as it would applied one by one (redeliveries are dropped by the
 * consumer's processed-message record before they reach the plan).
 */
export function planProgress(
  items: BatchItem<Envelope>[],
  actionTypes: ReadonlyMap<number, ActionType>,
  now: number,
): ProgressPlan {
  const created: RolloutCreatedV1[] = [];
  const rollouts = new Map<number, RolloutChange>();
  const groupTotals = new Map<number, number>();
  const groups = new Map<number, GroupChange>();
  const ignored: string[] = [];

  const rollout = (rolloutId: number): RolloutChange =>
    upsert(rollouts, rolloutId, () => ({
      rolloutId,
      totalTargets: null,
      readyAt: null,
      startedAt: null,
      finishedAt: null,
      state: null,
      modifiedAt: null,
      modifiedBy: null,
      terminalAt: null,
      terminalBy: null,
      approvalDecidedBy: null,
      approvalRemark: null,
      name: null,
      description: null,
    }));
  const group = (groupId: number, rolloutId: number): GroupChange =>
    upsert(groups, groupId, () => ({
      groupId,
      rolloutId,
      deltas: { scheduled: 0, running: 0, finished: 0, error: 0, cancelled: 0 },
      startedAt: null,
      finishedAt: null,
      failedAt: null,
    }));
  const settled = new Map<number, number>();
  const removed = new Set<number>();

  for (const { message, context } of items) {
    const step = lifecycleStep(message);
    if (step) {
      const change = rollout(step.rolloutId);
      if (step.state !== null) change.state = step.state;
      if (step.state !== null && terminalStates.includes(step.state)) {
        change.terminalAt = step.at;
        change.terminalBy = step.by;
      } else if (step.at !== null) {
        change.modifiedAt = step.at;
        change.modifiedBy = step.by;
      }
      if (step.approval) {
        change.approvalDecidedBy = step.approval.decidedBy;
        change.approvalRemark = step.approval.remark;
      }
      if (step.rename) {
        change.name = step.rename.name;
        change.description = step.rename.description;
      }
    }
    if (isEvent(message, 'RolloutCreated.v1')) {
      created.push(message.data);
    } else if (isEvent(message, 'RolloutRemoved.v1')) {
      removed.add(message.data.rolloutId);
    } else if (isEvent(message, 'RolloutReady.v1')) {
      const ready = message.data;
      const change = rollout(ready.rolloutId);
      change.totalTargets ??= ready.totalTargets;
      // The store's time of the event, when it came through Kafka, so that a rebuild writes the same time.
      change.readyAt ??= eventTimeOf(context) ?? now;
      for (const g of ready.groups) if (!groupTotals.has(g.groupId)) groupTotals.set(g.groupId, g.totalTargets);
    } else if (isEvent(message, 'RolloutStarted.v1')) {
      rollout(message.data.rolloutId).startedAt ??= message.data.startedAt;
    } else if (isEvent(message, 'RolloutFinished.v1')) {
      rollout(message.data.rolloutId).finishedAt ??= message.data.finishedAt;
    } else if (step) {
      // A lifecycle event whose whole effect is the step above.
    } else if (isEvent(message, 'RolloutGroupFailed.v1')) {
      const failed = message.data;
      group(failed.groupId, failed.rolloutId).failedAt ??= failed.failedAt;
    } else if (isEvent(message, 'RolloutActionsSettled.v1')) {
      const { rolloutId, settledAt } = message.data;
      if (!settled.has(rolloutId)) settled.set(rolloutId, settledAt);
    } else if (isEvent(message, 'RolloutGroupStarted.v1')) {
      const started = message.data;
      group(started.groupId, started.rolloutId).startedAt ??= started.startedAt;
    } else if (isEvent(message, 'RolloutGroupFinished.v1')) {
      const finished = message.data;
      group(finished.groupId, finished.rolloutId).finishedAt ??= finished.finishedAt;
    } else if (isEvent(message, 'ActionsScheduled.v1')) {
      const scheduled = message.data;
      group(scheduled.groupId, scheduled.rolloutId).deltas.scheduled += scheduled.count;
    } else if (isEvent(message, 'ActionStatusChanged.v1')) {
      const change = message.data;
      const type = actionTypes.get(change.rolloutId) ?? 'forced';
      const from = bucketOf(change.from, type);
      const to = bucketOf(change.to, type);
      if (from === to) {
        ignored.push(context.messageId);
        continue;
      }
      const deltas = group(change.groupId, change.rolloutId).deltas;
      deltas[from] -= 1;
      deltas[to] += 1;
    } else if (isEvent(message, 'RolloutGroupAdded.v1') || isEvent(message, 'RolloutGroupMembersAssigned.v1')) {
      // Folded apart, by planDynamicGroups.
    } else {
      ignored.push(context.messageId);
    }
  }
  const dynamic = planDynamicGroups(items);

  return {
    created,
    rollouts: [...rollouts.values()].sort((a, b) => a.rolloutId - b.rolloutId),
    groupTotals: [...groupTotals]
      .map(([groupId, totalTargets]) => ({ groupId, totalTargets }))
      .sort((a, b) => a.groupId - b.groupId),
    groups: [...groups.values()].filter(changesSomething).sort((a, b) => a.groupId - b.groupId),
    settled: [...settled]
      .map(([rolloutId, settledAt]) => ({ rolloutId, settledAt }))
      .sort((a, b) => a.rolloutId - b.rolloutId),
    removed: [...removed].sort((a, b) => a - b),
    dynamic,
    ignored: [...ignored, ...dynamic.ignored],
  };
}

/** A group whose deltas cancel out and which learnt no fact needs no write. */
const changesSomething = (g: GroupChange): boolean =>
  g.startedAt !== null || g.finishedAt !== null || g.failedAt !== null || buckets.some((b) => g.deltas[b] !== 0);

function upsert<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

/** The CloudEvents `time` of a relayed event, in epoch ms; undefined when absent or malformed. */
function eventTimeOf(context: BatchItem<Envelope>['context']): number | undefined {
  const parsed = context.cloudEvent ? Date.parse(context.cloudEvent.time) : NaN;
  return Number.isFinite(parsed) ? parsed : undefined;
}
