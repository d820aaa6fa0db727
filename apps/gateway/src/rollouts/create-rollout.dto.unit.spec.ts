import type { ArgumentMetadata } from '@nestjs/common';
import { HawkbitHttpError, HawkbitValidationPipe } from '@fleetwave/platform';
import { CreateRolloutDto } from '@fleetwave/contracts';

const pipe = new HawkbitValidationPipe();
const body: ArgumentMetadata = { type: 'body', metatype: CreateRolloutDto };
const valid = { name: 'r1', distributionSetId: 3, targetFilterQuery: 'name==dev*', amountGroups: 2 };
const parse = (raw: unknown) => pipe.transform(raw, body) as Promise<CreateRolloutDto>;

describe('CreateRolloutDto', () => {
  it('fills the defaults and keeps valid values at the edges of their ranges', async () => {
    const parsed = await parse({
      ...valid,
      distributionSetId: Number.MAX_SAFE_INTEGER,
      forcetime: Date.UTC(2199, 11, 31),
      startAt: 0,
      weight: 0,
      amountGroups: 500,
      successCondition: { condition: 'THRESHOLD', expression: '100' },
      unknownField: 'dropped',
    });
    expect(parsed).toMatchObject({
      distributionSetId: Number.MAX_SAFE_INTEGER,
      type: 'forced',
      weight: 0,
      confirmationRequired: false,
      successCondition: { condition: 'THRESHOLD', expression: 100 },
      errorCondition: { condition: 'THRESHOLD', expression: 50 },
      successAction: { action: 'NEXTGROUP' },
      errorAction: { action: 'PAUSE' },
    });
    expect(parsed).not.toHaveProperty('unknownField');
  });

  it.each([
    [
      { condition: 'ERROR_COUNT', expression: 0 },
      { condition: 'ERROR_COUNT', expression: 0 },
    ],
    [
      { condition: 'ERROR_COUNT', expression: 2 ** 31 - 1 },
      { condition: 'ERROR_COUNT', expression: 2 ** 31 - 1 },
    ],
    [
      { condition: 'ERROR_COUNT', expression: '250' },
      { condition: 'ERROR_COUNT', expression: 250 },
    ],
    [
      { condition: 'THRESHOLD', expression: 100 },
      { condition: 'THRESHOLD', expression: 100 },
    ],
    [{ expression: 0 }, { condition: 'THRESHOLD', expression: 0 }],
    [{ condition: 'ERROR_COUNT' }, { condition: 'ERROR_COUNT', expression: 50 }],
  ])('takes the error condition %j as %j', async (errorCondition, expected) => {
    expect((await parse({ ...valid, errorCondition })).errorCondition).toEqual(expected);
  });

  it.each([
    [
      'an error count of 2^31',
      { errorCondition: { condition: 'ERROR_COUNT', expression: 2 ** 31 } },
      /errorCondition.expression must be an integer from 0 to 2147483647 for ERROR_COUNT/,
    ],
    [
      'a negative error count',
      { errorCondition: { condition: 'ERROR_COUNT', expression: -1 } },
      /errorCondition.expression must be an integer from 0 to 2147483647/,
    ],
    [
      'a fractional error count',
      { errorCondition: { condition: 'ERROR_COUNT', expression: 1.5 } },
      /errorCondition.expression must be an integer/,
    ],
    [
      'an error threshold of 101',
      { errorCondition: { condition: 'THRESHOLD', expression: 101 } },
      /errorCondition.expression must be an integer from 0 to 100$/,
    ],
    [
      'an unknown error condition',
      { errorCondition: { condition: 'RATIO', expression: 1 } },
      /errorCondition.condition must be one of/,
    ],
    [
      'an ERROR_COUNT success condition',
      { successCondition: { condition: 'ERROR_COUNT', expression: 1 } },
      /successCondition.condition must be one of/,
    ],
    ['forcetime 1.5', { forcetime: 1.5 }, /forcetime must be an integer from 0 to 7258118400000/],
    ['startAt 1e300', { startAt: 1e300 }, /startAt must be an integer from 0/],
    ['negative startAt', { startAt: -1 }, /startAt must be an integer from 0/],
    ['startAt as a string', { startAt: '1700000000000' }, /startAt must be an integer/],
    [
      'distributionSetId 1e20',
      { distributionSetId: 1e20 },
      /distributionSetId must be an integer from 1 to 9007199254740991/,
    ],
    ['distributionSetId 0', { distributionSetId: 0 }, /distributionSetId must be an integer from 1/],
    ['distributionSetId true', { distributionSetId: true }, /distributionSetId must be an integer/],
    ['amountGroups 0', { amountGroups: 0 }, /amountGroups must be an integer from 1 to 10000/],
    ['amountGroups 10001', { amountGroups: 10_001 }, /amountGroups must be an integer from 1 to 10000/],
    ['an empty groups list', { amountGroups: undefined, groups: [] }, /groups should not be empty/],
    [
      'a group without a name',
      { amountGroups: undefined, groups: [{ targetPercentage: 50 }] },
      /name should not be empty/,
    ],
    [
      'a group percentage of 0',
      { amountGroups: undefined, groups: [{ name: 'g', targetPercentage: 0 }] },
      /targetPercentage must be a number from 1 to 100/,
    ],
    [
      'a group percentage of 101',
      { amountGroups: undefined, groups: [{ name: 'g', targetPercentage: 101 }] },
      /targetPercentage must be a number from 1 to 100/,
    ],
    [
      'a group percentage as text',
      { amountGroups: undefined, groups: [{ name: 'g', targetPercentage: '50' }] },
      /targetPercentage must be a number from 1 to 100/,
    ],
    [
      'a group threshold of 101',
      { amountGroups: undefined, groups: [{ name: 'g', successCondition: { expression: 101 } }] },
      /successCondition.expression must be an integer from 0 to 100/,
    ],
    [
      'a group that is not an object',
      { amountGroups: undefined, groups: ['g'] },
      /each value in groups must be an object|groups/,
    ],
    ['amountGroups null', { amountGroups: null }, /amountGroups must be an integer/],
    ['weight 1001', { weight: 1001 }, /weight must be an integer from 0 to 1000/],
    ['weight 0.5', { weight: 0.5 }, /weight must be an integer/],
    [
      'threshold 101',
      { successCondition: { expression: 101 } },
      /successCondition.expression must be an integer from 0 to 100/,
    ],
    ['threshold "abc"', { errorCondition: { expression: 'abc' } }, /errorCondition.expression must be an integer/],
    ['threshold 2.5', { successCondition: { expression: '2.5' } }, /successCondition.expression must be an integer/],
    ['threshold true', { successCondition: { expression: true } }, /successCondition.expression must be an integer/],
    ['threshold []', { successCondition: { expression: [] } }, /successCondition.expression must be an integer/],
    ['a null condition', { successCondition: null }, /successCondition must be an object/],
    ['a string condition', { errorCondition: 'x' }, /errorCondition must be an object/],
    ['a null type', { type: null }, /type must be one of/],
    ['NUL in the name', { name: 'r\u00001' }, /name must not contain a NUL/],
    ['NUL in the description', { description: 'd\u0000' }, /description must not contain a NUL/],
    ['NUL in the target filter', { targetFilterQuery: 'name==\u0000' }, /targetFilterQuery must not contain a NUL/],
    ['NUL in an action expression', { successAction: { expression: '\u0000' } }, /successAction.expression must not/],
    ['an over-long name', { name: 'n'.repeat(129) }, /name must be shorter than or equal to 128/],
    ['an over-long description', { description: 'd'.repeat(513) }, /description must be shorter than or equal to 512/],
    ['an over-long filter', { targetFilterQuery: 'q'.repeat(1025) }, /shorter than or equal to 1024/],
    ['an empty name', { name: '' }, /name should not be empty/],
    ['a missing distributionSetId', { distributionSetId: undefined }, /distributionSetId must be an integer/],
    ['dynamic as text', { dynamic: 'true' }, /dynamic must be a boolean/],
    ['a null template', { dynamicGroupTemplate: null }, /dynamicGroupTemplate must be an object/],
    [
      'a template targetCount of 0',
      { dynamic: true, dynamicGroupTemplate: { targetCount: 0 } },
      /dynamicGroupTemplate.targetCount must be an integer from 1/,
    ],
    [
      'a template without targetCount',
      { dynamic: true, dynamicGroupTemplate: { nameSuffix: 'd' } },
      /dynamicGroupTemplate.targetCount must be an integer/,
    ],
    [
      'an over-long name suffix',
      { dynamic: true, dynamicGroupTemplate: { nameSuffix: 's'.repeat(113), targetCount: 5 } },
      /nameSuffix must be shorter than or equal to 112/,
    ],
  ])('refuses %s', async (_case, change, message) => {
    const error = await parse({ ...valid, ...change }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HawkbitHttpError);
    expect((error as HawkbitHttpError).getStatus()).toBe(400);
    expect((error as HawkbitHttpError).body.message).toMatch(message);
  });

  it('takes explicit groups with their own fields and leaves what they omit to fall back on the rollout', async () => {
    const parsed = await parse({
      ...valid,
      amountGroups: undefined,
      groups: [
        { name: 'canary', targetFilterQuery: 'attribute.ring==canary', targetPercentage: 12.5 },
        { name: 'rest', errorCondition: { condition: 'ERROR_COUNT', expression: '3' }, confirmationRequired: true },
      ],
    });
    expect(parsed.groups).toEqual([
      { name: 'canary', targetFilterQuery: 'attribute.ring==canary', targetPercentage: 12.5 },
      {
        name: 'rest',
        targetPercentage: 100,
        confirmationRequired: true,
        errorCondition: { condition: 'ERROR_COUNT', expression: 3 },
      },
    ]);
  });

  it('takes a dynamic body with its template, the suffix defaulting to empty; static by default', async () => {
    expect(await parse(valid)).toMatchObject({ dynamic: false });
    const parsed = await parse({ ...valid, dynamic: true, dynamicGroupTemplate: { targetCount: 20 } });
    expect(parsed).toMatchObject({ dynamic: true, dynamicGroupTemplate: { nameSuffix: '', targetCount: 20 } });
  });

  it.each([[[]], ['a string'], [null]])('refuses a body that is not an object: %j', async (raw) => {
    await expect(parse(raw)).rejects.toBeInstanceOf(HawkbitHttpError);
  });
});
