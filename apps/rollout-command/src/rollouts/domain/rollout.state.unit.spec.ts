import { decide, isRolloutEvent, type RolloutEvent } from './rollout.decider';
import { evolve } from './rollout.state';
import { events as e, given, histories, ROLLOUT_ID, T } from './testing/rollout-states';

describe('rollout state (evolve)', () => {
  it.each(Object.keys(histories).filter((h) => !['absent', 'removed'].includes(h)))(
    'a rollout brought to %s by its events is in that state',
    (history) => {
      expect(given(history as keyof typeof histories)).toMatchObject({
        kind: 'present',
        status: history.replace(' (never started)', ''),
      });
    },
  );

  it('goes from waiting for approval to ready when approved, and may then start', () => {
    const approved = given([...histories.waiting_for_approval, e.approved]);
    expect(approved).toMatchObject({ status: 'ready', approvalRequired: true, started: false });
    expect(decide({ type: 'StartRollout', data: e.started.data }, approved)).toEqual([e.started]);
  });

  it('remembers that it started, through stop, and forgets a removed rollout', () => {
    expect(given('stopped')).toMatchObject({ started: true });
    expect(given('stopped (never started)')).toMatchObject({ started: false });
    expect(given('removed')).toEqual({ kind: 'removed', rolloutId: ROLLOUT_ID });
    // Events after removal cannot bring it back.
    expect(evolve(given('removed'), e.ready)).toEqual({ kind: 'removed', rolloutId: ROLLOUT_ID });
  });

  it('takes name and description from an update and keeps the status', () => {
    const renamed: RolloutEvent = {
      type: 'RolloutUpdated.v1',
      data: { rolloutId: ROLLOUT_ID, name: 'new', updatedAt: T, updatedBy: 'op' },
    };
    expect(evolve(given('paused'), renamed)).toMatchObject({ name: 'new', description: undefined, status: 'paused' });
  });

  it('keeps the creation summary and the total from ready', () => {
    expect(given('ready')).toMatchObject({
      name: 'r7',
      totalTargets: 3,
      groupCount: 2,
      summary: { targetFilterQuery: 'id==dev-*', distributionSetId: 1, actionType: 'forced', createdBy: 'admin' },
    });
  });

  it('narrows what a rollout stream holds to its events, and nothing else', () => {
    const recorded = { ...e.started, id: 'e-1', metadata: {}, streamName: 'rollout-7', revision: 2 };
    expect(isRolloutEvent(recorded) ? evolve(given('ready'), recorded) : undefined).toMatchObject({
      status: 'running',
    });
    expect(isRolloutEvent({ type: 'RolloutRemoved.v1', data: {} })).toBe(true);
    expect(isRolloutEvent({ type: 'RolloutGroupMembersAssigned.v1', data: {} })).toBe(false);
    expect(isRolloutEvent({ type: 'RolloutStarted.v2', data: {} })).toBe(false);
  });
});
