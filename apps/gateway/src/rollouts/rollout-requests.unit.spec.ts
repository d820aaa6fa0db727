import type { ArgumentMetadata } from '@nestjs/common';
import { CreateRolloutDto, UpdateRolloutDto } from '@fleetwave/contracts';
import { HawkbitHttpError, HawkbitValidationPipe, parseRemark } from '@fleetwave/platform';

const pipe = new HawkbitValidationPipe();
const bodyOf = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'body', metatype });

/** The 400 the gateway answers instead of calling rollout-command, as status and hawkBit body. */
async function refusal(work: () => unknown): Promise<{ status: number; errorCode: string; message: string }> {
  try {
    await work();
  } catch (error) {
    if (error instanceof HawkbitHttpError) return { status: error.getStatus(), ...error.body };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('rollout requests at the gateway', () => {
  const update = (raw: unknown) => pipe.transform(raw, bodyOf(UpdateRolloutDto)) as Promise<UpdateRolloutDto>;

  it('takes a rename with or without a description, dropping every other field', async () => {
    expect(await update({ name: 'r', description: 'words', status: 'x' })).toEqual({ name: 'r', description: 'words' });
    expect(await update({ name: 'r' })).toEqual({ name: 'r' });
  });

  it.each([
    ['without a name', { description: 'no name' }, /name should not be empty/],
    ['with a NUL in the name', { name: 'r\u0000' }, /name must not contain a NUL/],
    ['with a NUL in the description', { name: 'r', description: '\u0000' }, /description must not contain a NUL/],
    ['with a name of 129 characters', { name: 'n'.repeat(129) }, /name must be shorter than or equal to 128/],
  ])('refuses a rename %s', async (_case, raw, message) => {
    const refused = await refusal(() => update(raw));
    expect(refused).toMatchObject({ status: 400, errorCode: 'hawkbit.server.error.repo.constraintViolation' });
    expect(refused.message).toMatch(message);
  });

  it('names every refused field of a create body in one answer', async () => {
    const raw = { name: 'r', targetFilterQuery: 'name==*', amountGroups: 1, forcetime: 1.5, startAt: 1e300 };
    const refused = await refusal(() => pipe.transform({ ...raw, distributionSetId: 1e20 }, bodyOf(CreateRolloutDto)));
    expect(refused.errorCode).toBe('hawkbit.server.error.repo.constraintViolation');
    for (const field of ['forcetime', 'startAt', 'distributionSetId']) expect(refused.message).toContain(field);
  });

  it('takes an approval remark as one bounded text, absent when not given', async () => {
    expect(parseRemark(undefined)).toBeUndefined();
    expect(parseRemark('looks good')).toBe('looks good');
    expect(parseRemark('x'.repeat(512))).toHaveLength(512);
    for (const remark of [['a', 'b'], 'x'.repeat(513), 'no\u0000', { a: 1 }]) {
      expect(await refusal(() => parseRemark(remark))).toMatchObject({
        status: 400,
        errorCode: 'hawkbit.server.error.rest.param.invalid',
      });
    }
  });
});
