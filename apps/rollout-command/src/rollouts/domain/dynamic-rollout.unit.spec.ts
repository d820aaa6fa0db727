import type { RolloutCreatedV1, RolloutGroupAddedV1, RolloutGroupDefinition } from '@fleetwave/contracts';
import {
  afterIntake,
  decideIntake,
  dynamicGroupName,
  dynamicTemplateOf,
  firstDynamicGroup,
  nextDynamicGroup,
  type IntakeSituation,
} from './dynamic-rollout';
import { decide, evolve, type RolloutEvent } from './rollout.decider';
import type { RolloutStatus } from './rollout.state';
import { createdData, events as e, given, ROLLOUT_ID, T } from './testing/rollout-states';

const quotas = { maxGroupsPerRollout: 5, maxTargetsPerGroup: 30 };

const policy = {
  confirmationRequired: true,
  successCondition: { condition: 'THRESHOLD' as const, expression: 80 },
  successAction: { action: 'NEXTGROUP' as const },
  errorCondition: { condition: 'ERROR_COUNT' as const, expression: 2 },
  errorAction: { action: 'PAUSE' as const },
};

describe('dynamic rollout: the create body', () => {
  it('is static without dynamic: true, even with a template', () => {
    expect(dynamicTemplateOf({}, quotas)).toEqual({});
    expect(dynamicTemplateOf({ dynamic: false, dynamicGroupTemplate: { targetCount: 3 } }, quotas)).toEqual({});
  });

  it('takes the template of a dynamic body, the suffix defaulting to empty', () => {
    expect(
      dynamicTemplateOf({ dynamic: true, dynamicGroupTemplate: { nameSuffix: '-dyn', targetCount: 30 } }, quotas),
    ).toEqual({
      template: { nameSuffix: '-dyn', targetCount: 30 },
    });
    expect(dynamicTemplateOf({ dynamic: true, dynamicGroupTemplate: { targetCount: 1 } }, quotas)).toEqual({
      template: { nameSuffix: '', targetCount: 1 },
    });
  });

  it.each([
    [{ dynamic: true }, 'a dynamic rollout needs a dynamicGroupTemplate'],
    [{ dynamic: true, dynamicGroupTemplate: {} }, 'dynamicGroupTemplate.targetCount must be an integer of at least 1'],
    [
      { dynamic: true, dynamicGroupTemplate: { targetCount: 0 } },
      'dynamicGroupTemplate.targetCount must be an integer of at least 1',
    ],
    [
      { dynamic: true, dynamicGroupTemplate: { targetCount: 1.5 } },
      'dynamicGroupTemplate.targetCount must be an integer of at least 1',
    ],
  ])('refuses %j with a 400: %s', (body, message) => {
    expect(dynamicTemplateOf(body, quotas)).toEqual({ violation: { kind: 'invalid', message } });
  });

  it('refuses a targetCount above the per-group quota as a quota violation (429)', () => {
    expect(
      dynamicTemplateOf({ dynamic: true, dynamicGroupTemplate: { nameSuffix: 'd', targetCount: 31 } }, quotas),
    ).toEqual({
      violation: {
        kind: 'quota',
        violation: { entity: 'Target', parent: 'RolloutGroup', parentName: 'd-1', requested: 31, max: 30 },
      },
    });
  });
});

describe('dynamic rollout: its groups', () => {
  it('names the n-th dynamic group after the suffix, or "dynamic" without one', () => {
    expect(dynamicGroupName('-dyn', 1)).toBe('-dyn-1');
    expect(dynamicGroupName('wave', 12)).toBe('wave-12');
    expect(dynamicGroupName('', 2)).toBe('dynamic-2');
    expect(dynamicGroupName('  ', 3)).toBe('dynamic-3');
  });

  it('defines the first dynamic group with the rollout filter, its policy and the capacity', () => {
    expect(firstDynamicGroup({ nameSuffix: 'wave', targetCount: 20 }, 'name==dev-*', policy)).toEqual({
      name: 'wave-1',
      targetFilterQuery: 'name==dev-*',
      targetPercentage: 100,
      ...policy,
      dynamic: { capacity: 20 },
    });
  });

  it('defines the next one as a copy of the previous with its own ids and name', () => {
    const previous: RolloutGroupDefinition = {
      groupId: 73,
      index: 3,
      ...firstDynamicGroup({ nameSuffix: 'wave', targetCount: 20 }, 'name==dev-*', policy),
    };
    expect(nextDynamicGroup(previous, { nameSuffix: 'wave', targetCount: 20 }, 2, { groupId: 90, index: 4 })).toEqual({
      ...previous,
      groupId: 90,
      index: 4,
      name: 'wave-2',
    });
  });
});

describe('dynamic rollout: an intake step', () => {
  const running: IntakeSituation = { status: 'running', capacity: 10, members: 4, groupCount: 3, maxGroups: 5 };

  it('takes up to the room the filling group has left while running', () => {
    expect(decideIntake(running)).toEqual({ kind: 'take', room: 6 });
    expect(decideIntake({ ...running, members: 0 })).toEqual({ kind: 'take', room: 10 });
  });

  it.each<RolloutStatus>(['ready', 'creating', 'paused', 'waiting_for_approval'])('waits while %s', (status) => {
    expect(decideIntake({ ...running, status })).toEqual({ kind: 'wait' });
  });

  it.each<IntakeSituation['status']>([
    'stopping',
    'stopped',
    'deleting',
    'deleted',
    'finished',
    'approval_denied',
    'removed',
    'absent',
  ])('ends for good when the rollout is %s', (status) => {
    expect(decideIntake({ ...running, status })).toEqual({ kind: 'end', reason: `rollout is ${status}` });
  });

  it('adds the next group first when the filling one is full, and ends when the group quota is reached', () => {
    expect(decideIntake({ ...running, members: 10 })).toEqual({ kind: 'grow' });
    expect(decideIntake({ ...running, members: 10, groupCount: 5 })).toEqual({
      kind: 'end',
      reason: 'the last group is full and the rollout has 5 groups (the most)',
    });
  });

  it('adds a group once the taken targets fill the group, only while the quota allows', () => {
    expect(afterIntake(running, 3)).toEqual({ members: 7, full: false, addGroup: false });
    expect(afterIntake(running, 6)).toEqual({ members: 10, full: true, addGroup: true });
    expect(afterIntake({ ...running, groupCount: 5 }, 6)).toEqual({ members: 10, full: true, addGroup: false });
    expect(afterIntake(running, 0)).toEqual({ members: 4, full: false, addGroup: false });
  });
});

describe('dynamic rollout: the decider', () => {
  const template = { nameSuffix: 'wave', targetCount: 2 };
  const dynamicCreated: RolloutEvent = {
    type: 'RolloutCreated.v1',
    data: { ...createdData(), dynamic: template } satisfies RolloutCreatedV1,
  };
  const added: RolloutGroupAddedV1 = {
    rolloutId: ROLLOUT_ID,
    group: { ...createdData().groups[1], groupId: 73, index: 3, name: 'wave-2', dynamic: { capacity: 2 } },
    addedAt: T + 50,
  };
  const runningDynamic = [dynamicCreated, e.ready, e.started];

  it('adds a group to a running dynamic rollout, and evolve counts it', () => {
    const state = given(runningDynamic);
    expect(state).toMatchObject({ dynamic: true, groupCount: 2 });
    const events = decide({ type: 'AddDynamicGroup', data: added }, state);
    expect(events).toEqual([{ type: 'RolloutGroupAdded.v1', data: added }]);
    expect(events.reduce(evolve, state)).toEqual({ ...state, groupCount: 3 });
  });

  it.each([
    ['paused', [...runningDynamic, e.paused]],
    ['ready', [dynamicCreated, e.ready]],
    ['stopping', [...runningDynamic, e.stopping]],
  ] as const)('refuses to add a group while %s', (_status, history) => {
    expect(() => decide({ type: 'AddDynamicGroup', data: added }, given([...history]))).toThrow(
      'cannot take in another dynamic group',
    );
  });

  it('refuses to add a group to a static rollout', () => {
    expect(() => decide({ type: 'AddDynamicGroup', data: added }, given('running'))).toThrow(
      `rollout ${ROLLOUT_ID} is not dynamic`,
    );
  });
});
