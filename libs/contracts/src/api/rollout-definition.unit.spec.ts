import {
  ConditionDto,
  CreateRolloutDto,
  ErrorActionDto,
  ErrorConditionDto,
  SuccessActionDto,
} from './create-rollout.dto';
import { fromDefinitionMessage, toDefinitionMessage } from './rollout-definition';
import { renderGroup, renderRollout } from './rollout-rendering';

describe('a rollout definition between the gateway and rollout-command', () => {
  const body = Object.assign(new CreateRolloutDto(), {
    name: 'r',
    distributionSetId: 3,
    targetFilterQuery: 'name==a*',
    amountGroups: 2,
    successCondition: new ConditionDto(),
    successAction: new SuccessActionDto(),
    errorCondition: new ErrorConditionDto(),
    errorAction: new ErrorActionDto(),
  });

  it('sends no groups as an empty list and reads it back as none', () => {
    expect(toDefinitionMessage(body).groups).toEqual([]);
    expect(fromDefinitionMessage(toDefinitionMessage(body)).groups).toBeUndefined();
  });

  it('reads a decoded message back as the body it was, unset optionals left out', () => {
    const decoded = {
      ...toDefinitionMessage(body),
      description: null,
      groups: [
        {
          name: 'g',
          targetPercentage: 50,
          successCondition: { condition: 'THRESHOLD', expression: 0 },
          errorAction: null,
        },
      ],
    };
    const read = fromDefinitionMessage(decoded);
    expect(read).toMatchObject({ name: 'r', weight: 1000, amountGroups: 2, type: 'forced' });
    expect(read).not.toHaveProperty('description');
    expect(read.groups).toEqual([
      { name: 'g', targetPercentage: 50, successCondition: { condition: 'THRESHOLD', expression: 0 } },
    ]);
  });
});

describe("hawkBit's JSON of rollouts and groups", () => {
  const decided = { id: 7, name: 'r', status: 'creating', distributionSetId: 3, totalTargets: 4, dynamic: false };

  it('shows what the command side decided, with its self link only', () => {
    expect(renderRollout(decided)).toEqual({
      id: 7,
      name: 'r',
      description: '',
      status: 'creating',
      distributionSetId: 3,
      totalTargets: 4,
      dynamic: false,
      _links: { self: { href: '/rest/v1/rollouts/7' } },
    });
  });

  it("shows the read model's view with counts, links, the soft-delete flag and both spellings of the decider", () => {
    const shown = renderRollout({
      ...decided,
      status: 'deleted',
      totalTargetsPerStatus: { finished: 4 },
      approvalDecidedBy: 'boss',
    });
    expect(shown).toMatchObject({
      deleted: true,
      approvalDecidedBy: 'boss',
      approveDecidedBy: 'boss',
      estimatedCompletionAt: null,
      _links: {
        groups: { href: '/rest/v1/rollouts/7/deploygroups' },
        distributionset: { href: '/rest/v1/distributionsets/3' },
      },
    });
  });

  it('writes a condition expression as hawkBit does, a string', () => {
    const group = renderGroup({ id: 2, rolloutId: 7, successCondition: { condition: 'THRESHOLD', expression: 0 } });
    expect(group.successCondition).toEqual({ condition: 'THRESHOLD', expression: '0' });
    expect(group._links).toEqual({ self: { href: '/rest/v1/rollouts/7/deploygroups/2' } });
  });
});
