import type { RolloutCreatedV1 } from '@fleetwave/contracts';
import { evolve, initialRolloutState, type RolloutEvent, type RolloutState } from '../rollout.state';

/** Given-events of the decider tests: a rollout brought into each state by its own events. */

export const ROLLOUT_ID = 7;
export const T = 1_700_000_000_000;

export const createdData = (approvalRequired = false): RolloutCreatedV1 => ({
  rolloutId: ROLLOUT_ID,
  name: 'r7',
  targetFilterQuery: 'id==dev-*',
  distributionSet: { id: 1, name: 'ds', version: '1', modules: [] },
  actionType: 'forced',
  weight: 1000,
  groups: [71, 72].map((groupId, i) => ({
    groupId,
    index: i + 1,
    name: `group-${i + 1}`,
    targetPercentage: 100 / (2 - i),
    confirmationRequired: false,
    successCondition: { condition: 'THRESHOLD', expression: 100 },
    successAction: { action: 'NEXTGROUP' },
    errorCondition: { condition: 'ERROR_COUNT', expression: 3 },
    errorAction: { action: 'PAUSE' },
  })),
  createdAt: T,
  createdBy: 'admin',
  approvalRequired,
});

const id = { rolloutId: ROLLOUT_ID };
export const events = {
  created: { type: 'RolloutCreated.v1', data: createdData() },
  createdForApproval: { type: 'RolloutCreated.v1', data: createdData(true) },
  ready: {
    type: 'RolloutReady.v1',
    data: { ...id, totalTargets: 3, groups: [71, 72].map((groupId) => ({ groupId, totalTargets: 1 })) },
  },
  approvalRequested: { type: 'RolloutApprovalRequested.v1', data: { ...id, requestedAt: T + 1 } },
  approved: { type: 'RolloutApproved.v1', data: { ...id, approvedAt: T + 2, approvedBy: 'boss', remark: 'ok' } },
  denied: { type: 'RolloutDenied.v1', data: { ...id, deniedAt: T + 2, deniedBy: 'boss', remark: 'no' } },
  started: { type: 'RolloutStarted.v1', data: { ...id, startedAt: T + 3, startedBy: 'op' } },
  paused: { type: 'RolloutPaused.v1', data: { ...id, pausedAt: T + 4, pausedBy: 'op', cause: 'MANUAL' } },
  resumed: { type: 'RolloutResumed.v1', data: { ...id, resumedAt: T + 5, resumedBy: 'op' } },
  stopping: { type: 'RolloutStopping.v1', data: { ...id, requestedAt: T + 6, requestedBy: 'op' } },
  stopped: { type: 'RolloutStopped.v1', data: { ...id, stoppedAt: T + 7 } },
  finished: { type: 'RolloutFinished.v1', data: { ...id, finishedAt: T + 7 } },
  deleting: { type: 'RolloutDeleting.v1', data: { ...id, requestedAt: T + 8, requestedBy: 'op' } },
  deleted: { type: 'RolloutDeleted.v1', data: { ...id, deletedAt: T + 9 } },
  removed: { type: 'RolloutRemoved.v1', data: { ...id, removedAt: T + 9, removedBy: 'op' } },
} satisfies Record<string, RolloutEvent>;

const e = events;
const running = [e.created, e.ready, e.started];

/** Every state a command can meet; `stopped (never started)` and `removed` are told apart from their peers. */
export const histories = {
  absent: [],
  creating: [e.created],
  ready: [e.created, e.ready],
  waiting_for_approval: [e.createdForApproval, e.ready, e.approvalRequested],
  approval_denied: [e.createdForApproval, e.ready, e.approvalRequested, e.denied],
  running,
  paused: [...running, e.paused],
  stopping: [...running, e.stopping],
  stopped: [...running, e.stopping, e.stopped],
  'stopped (never started)': [e.created, e.ready, e.stopped],
  finished: [...running, e.finished],
  deleting: [...running, e.deleting],
  deleted: [...running, e.deleting, e.deleted],
  removed: [e.created, e.removed],
} satisfies Record<string, RolloutEvent[]>;

export type History = keyof typeof histories;
export const allHistories = Object.keys(histories) as History[];

export const given = (history: History | RolloutEvent[]): RolloutState =>
  (typeof history === 'string' ? histories[history] : history).reduce(evolve, initialRolloutState);
