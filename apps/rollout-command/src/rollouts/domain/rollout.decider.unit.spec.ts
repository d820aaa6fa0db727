import type { RolloutCreatedV1 } from '@fleetwave/contracts';
import { decide, evolve, initialRolloutState, isRolloutEvent, RolloutEvent, RolloutState } from './rollout.decider';
import { RolloutRuleError } from './rollout-rule.error';

const created: RolloutCreatedV1 = {
  rolloutId: 7,
  name: 'r7',
  targetFilterQuery: 'id==dev-*',
  distributionSet: { id: 1, name: 'ds', version: '1', modules: [] },
  actionType: 'forced',
  weight: 1000,
  groups: [],
  createdAt: 1,
  createdBy: 'admin',
};

const given = (...events: RolloutEvent[]): RolloutState => events.reduce(evolve, initialRolloutState);
const ready: RolloutEvent = { type: 'RolloutReady.v1', data: { rolloutId: 7, totalTargets: 3, groups: [] } };
const started = {
  type: 'RolloutStarted.v1',
  data: { rolloutId: 7, startedAt: 2, startedBy: 'admin' },
} satisfies RolloutEvent;

describe('rollout decider', () => {
  it('creates a rollout that does not exist yet', () => {
    expect(decide({ type: 'CreateRollout', data: created }, given())).toEqual([
      { type: 'RolloutCreated.v1', data: created },
    ]);
  });

  it('refuses to create the same rollout twice', () => {
    expect(() =>
      decide({ type: 'CreateRollout', data: created }, given({ type: 'RolloutCreated.v1', data: created })),
    ).toThrow(RolloutRuleError);
  });

  it('starts a ready rollout', () => {
    const state = given({ type: 'RolloutCreated.v1', data: created }, ready);
    expect(decide({ type: 'StartRollout', data: started.data }, state)).toEqual([started]);
  });

  it('refuses to start a rollout that is still creating, with ROLLOUT.ILLEGAL_STATE', () => {
    const state = given({ type: 'RolloutCreated.v1', data: created });
    expect(() => decide({ type: 'StartRollout', data: started.data }, state)).toThrow(
      expect.objectContaining({ code: 'ROLLOUT.ILLEGAL_STATE' }),
    );
  });

  it('finishes a running rollout once; a repeated completion is ignored', () => {
    const finished = { rolloutId: 7, finishedAt: 3 };
    const running = given({ type: 'RolloutCreated.v1', data: created }, ready, started);
    const events = decide({ type: 'FinishRollout', data: finished }, running);
    expect(events).toEqual([{ type: 'RolloutFinished.v1', data: finished }]);
    expect(decide({ type: 'FinishRollout', data: finished }, events.reduce(evolve, running))).toEqual([]);
  });

  it('rejects commands for an unknown rollout with ROLLOUT.NOT_FOUND', () => {
    expect(() => decide({ type: 'StartRollout', data: started.data }, given())).toThrow(
      expect.objectContaining({ code: 'ROLLOUT.NOT_FOUND' }),
    );
  });

  it('narrows what a rollout stream holds to its events, and nothing else', () => {
    const recorded = { ...started, id: 'e-1', metadata: {}, streamName: 'rollout-7', revision: 2 };
    expect(
      isRolloutEvent(recorded)
        ? evolve(given({ type: 'RolloutCreated.v1', data: created }, ready), recorded)
        : undefined,
    ).toMatchObject({ status: 'running' });
    expect(isRolloutEvent({ type: 'RolloutGroupMembersAssigned.v1', data: {} })).toBe(false);
    expect(isRolloutEvent({ type: 'RolloutStarted.v2', data: {} })).toBe(false);
  });
});
