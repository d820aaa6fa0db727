import type { ArgumentMetadata } from '@nestjs/common';
import { HawkbitHttpError } from './hawkbit-error';
import { HawkbitValidationPipe } from './hawkbit-validation.pipe';
import { ListQuery, Paging } from './paging';

const pipe = new HawkbitValidationPipe();
const query: ArgumentMetadata = { type: 'query', metatype: ListQuery };
const parse = (raw: Record<string, unknown>) => pipe.transform(raw, query) as Promise<ListQuery>;

describe('ListQuery through the global validation pipe', () => {
  it('applies the defaults when nothing is given', async () => {
    await expect(parse({})).resolves.toEqual(Object.assign(new ListQuery(), { offset: 0, limit: Paging.defaultLimit }));
  });

  it('keeps valid paging, sort and filter, and drops unknown parameters', async () => {
    const parsed = await parse({ offset: '10', limit: '500', sort: 'name:DESC', q: 'name==a*', extra: 'x' });
    expect({ ...parsed }).toEqual({ offset: 10, limit: 500, sort: 'name:DESC', q: 'name==a*' });
  });

  it.each([
    [{ limit: 'abc' }, /limit must be an integer from 1 to 500/],
    [{ limit: '-1' }, /limit must be an integer from 1 to 500/],
    [{ limit: '0' }, /limit must be an integer from 1 to 500/],
    [{ limit: '100000' }, /limit must be an integer from 1 to 500/],
    [{ limit: '2.5' }, /limit must be an integer/],
    [{ limit: ['1', '2'] }, /limit must be an integer/],
    [{ offset: '-5' }, /offset must be an integer from 0 to 9007199254740991/],
    [{ offset: '99999999999999999999' }, /offset must be an integer/],
    [{ q: 'name==\u0000' }, /q must not contain a NUL/],
    [{ q: 'x'.repeat(1025) }, /q must be shorter than or equal to 1024/],
    [{ sort: 'name\u0000' }, /sort must not contain a NUL/],
  ])('refuses %j with a hawkBit 400', async (raw, message) => {
    const error = await parse(raw).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HawkbitHttpError);
    const refused = error as HawkbitHttpError;
    expect(refused.getStatus()).toBe(400);
    expect(refused.body).toMatchObject({ errorCode: 'hawkbit.server.error.repo.constraintViolation' });
    expect(refused.body.message).toMatch(message);
  });
});
