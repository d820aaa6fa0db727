import { decide, type RolloutCommand, type RolloutEvent } from './rollout.decider';
import type { RolloutRuleCode } from './rollout-rule.error';
import { allHistories, createdData, events as e, given, type History, ROLLOUT_ID, T } from './testing/rollout-states';

/**
 * Given a history, when a command, then whole events or a rule code: every command against
 * every state. States a command's table leaves out refuse it with ROLLOUT.ILLEGAL_STATE, and a
 * rollout that does not exist (never created, or removed) with ROLLOUT.NOT_FOUND.
 */
type Outcome = RolloutEvent[] | RolloutRuleCode;
type Case = { command: RolloutCommand; then: Partial<Record<History, Outcome>> };

const id = { rolloutId: ROLLOUT_ID };
const request = { ...id, requestedAt: T + 50, requestedBy: 'op' };
const stoppedNow: RolloutEvent[] = [{ type: 'RolloutStopped.v1', data: { ...id, stoppedAt: T + 50 } }];
const removedNow: RolloutEvent[] = [{ type: 'RolloutRemoved.v1', data: { ...id, removedAt: T + 50, removedBy: 'op' } }];
const deletingNow: RolloutEvent[] = [{ type: 'RolloutDeleting.v1', data: request }];
const completedAt = T + 60;
const ready = e.ready.data;
const paused = { ...id, pausedAt: T + 50, pausedBy: 'system', cause: 'ERROR_CONDITION' as const, groupId: 71 };
const triggered = { ...id, triggeredAt: T + 50, triggeredBy: 'op' };
const updated = { ...id, name: 'renamed', description: 'd', updatedAt: T + 50, updatedBy: 'op' };

const cases: Record<string, Case> = {
  MarkRolloutReady: {
    command: { type: 'MarkRolloutReady', data: ready, at: T + 50 },
    then: { creating: [{ type: 'RolloutReady.v1', data: ready }] },
  },
  ApproveRollout: {
    command: { type: 'ApproveRollout', data: e.approved.data },
    then: { waiting_for_approval: [e.approved] },
  },
  DenyRollout: { command: { type: 'DenyRollout', data: e.denied.data }, then: { waiting_for_approval: [e.denied] } },
  StartRollout: { command: { type: 'StartRollout', data: e.started.data }, then: { ready: [e.started] } },
  PauseRollout: {
    command: { type: 'PauseRollout', data: paused },
    then: { running: [{ type: 'RolloutPaused.v1', data: paused }] },
  },
  ResumeRollout: { command: { type: 'ResumeRollout', data: e.resumed.data }, then: { paused: [e.resumed] } },
  TriggerNextGroup: {
    command: { type: 'TriggerNextGroup', data: triggered, scheduledGroupExists: true },
    then: { running: [{ type: 'RolloutNextGroupTriggered.v1', data: triggered }] },
  },
  StopRollout: {
    command: { type: 'StopRollout', data: request },
    then: {
      creating: stoppedNow,
      ready: stoppedNow,
      waiting_for_approval: stoppedNow,
      approval_denied: stoppedNow,
      running: [{ type: 'RolloutStopping.v1', data: request }],
      paused: [{ type: 'RolloutStopping.v1', data: request }],
    },
  },
  DeleteRollout: {
    command: { type: 'DeleteRollout', data: request },
    then: {
      creating: removedNow,
      ready: removedNow,
      waiting_for_approval: removedNow,
      approval_denied: removedNow,
      'stopped (never started)': removedNow,
      running: deletingNow,
      paused: deletingNow,
      stopping: deletingNow,
      stopped: deletingNow,
      finished: deletingNow,
    },
  },
  UpdateRollout: {
    command: { type: 'UpdateRollout', data: updated },
    then: Object.fromEntries(
      allHistories
        .filter((h) => !['absent', 'removed', 'deleting', 'deleted'].includes(h))
        .map((h) => [h, [{ type: 'RolloutUpdated.v1', data: updated }]]),
    ),
  },
  // Legal, and nothing for this stream: the retry is a rollout of its own.
  RetryRollout: { command: { type: 'RetryRollout', data: id, failedTargets: 3 }, then: { finished: [] } },
  // Only a dynamic rollout grows (dynamic-rollout.unit.spec.ts); a static one refuses in every state.
  AddDynamicGroup: {
    command: { type: 'AddDynamicGroup', data: { ...id, group: createdData().groups[1], addedAt: T + 50 } },
    then: {},
  },
  CompleteRollout: {
    command: { type: 'CompleteRollout', data: { ...id, completedAt } },
    then: {
      running: [{ type: 'RolloutFinished.v1', data: { ...id, finishedAt: completedAt } }],
      paused: [{ type: 'RolloutFinished.v1', data: { ...id, finishedAt: completedAt } }],
      stopping: [{ type: 'RolloutStopped.v1', data: { ...id, stoppedAt: completedAt } }],
      deleting: [{ type: 'RolloutDeleted.v1', data: { ...id, deletedAt: completedAt } }],
      finished: [],
      stopped: [],
      'stopped (never started)': [],
      deleted: [],
    },
  },
};

const expectedOutcome = (c: Case, history: History): Outcome =>
  c.then[history] ?? (history === 'absent' || history === 'removed' ? 'ROLLOUT.NOT_FOUND' : 'ROLLOUT.ILLEGAL_STATE');

const outcomeOf = (command: RolloutCommand, history: History): Outcome => {
  try {
    return decide(command, given(history));
  } catch (error) {
    return (error as { code: RolloutRuleCode }).code;
  }
};

describe('rollout decider: every command in every state', () => {
  const table = Object.entries(cases).flatMap(([name, c]) =>
    allHistories.map((history) => [name, history, c, expectedOutcome(c, history)] as const),
  );

  it.each(table.map(([name, history, c, outcome]) => [name, history, outcome, c] as const))(
    '%s when %s → %j',
    (_name, history, outcome, c) => {
      expect(outcomeOf(c.command, history)).toEqual(outcome);
    },
  );

  it('refuses anything but creation for a rollout that does not exist, and creation for one that does', () => {
    const create: RolloutCommand = { type: 'CreateRollout', data: createdData() };
    expect(outcomeOf(create, 'absent')).toEqual([e.created]);
    for (const history of allHistories.filter((h) => h !== 'absent')) {
      expect(outcomeOf(create, history)).toBe('ROLLOUT.ALREADY_EXISTS');
    }
  });

  it('asks for approval together with ready when the rollout was created needing it', () => {
    const command: RolloutCommand = { type: 'MarkRolloutReady', data: ready, at: T + 50 };
    expect(decide(command, given([e.createdForApproval]))).toEqual([
      { type: 'RolloutReady.v1', data: ready },
      { type: 'RolloutApprovalRequested.v1', data: { ...id, requestedAt: T + 50 } },
    ]);
  });

  it('refuses to trigger the next group of a running rollout with no scheduled group left', () => {
    const command: RolloutCommand = { type: 'TriggerNextGroup', data: triggered, scheduledGroupExists: false };
    expect(outcomeOf(command, 'running')).toBe('ROLLOUT.ILLEGAL_STATE');
    expect(() => decide(command, given('running'))).toThrow(/no scheduled group left/);
  });

  it('says what was refused and in which state', () => {
    expect(() => decide({ type: 'StartRollout', data: e.started.data }, given('creating'))).toThrow(
      'a rollout in state creating cannot be started',
    );
    expect(() => decide({ type: 'RetryRollout', data: id, failedTargets: 1 }, given('running'))).toThrow(
      'a rollout in state running cannot be retried',
    );
  });

  it('refuses to retry a finished rollout none of whose targets failed', () => {
    const command: RolloutCommand = { type: 'RetryRollout', data: id, failedTargets: 0 };
    expect(outcomeOf(command, 'finished')).toBe('ROLLOUT.ILLEGAL_STATE');
    expect(() => decide(command, given('finished'))).toThrow(`rollout ${ROLLOUT_ID} has no failed targets to retry`);
    // The state is checked first: a running rollout is refused for its state, whatever its failures.
    expect(() => decide(command, given('running'))).toThrow('cannot be retried');
  });
});
