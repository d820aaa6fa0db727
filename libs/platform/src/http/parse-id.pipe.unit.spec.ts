import type { ArgumentMetadata } from '@nestjs/common';
import { HawkbitHttpError } from './hawkbit-error';
import { ParseControllerIdPipe, ParseIdPipe } from './parse-id.pipe';

const param: ArgumentMetadata = { type: 'param', data: 'id' };

const refusal = (run: () => unknown): { status: number; errorCode: string; message: string } => {
  try {
    run();
  } catch (error) {
    if (error instanceof HawkbitHttpError) return { status: error.getStatus(), ...error.body };
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('ParseIdPipe', () => {
  const pipe = new ParseIdPipe('Rollout');

  it.each([
    ['99999999999999999999', 404, /Rollout with given identifier \{99999999999999999999\} does not exist/],
    ['9007199254740992', 404, /does not exist/],
    ['0', 404, /does not exist/],
    ['abc', 400, /id must be a numeric id, got "abc"/],
    ['-1', 400, /numeric id/],
    ['1.5', 400, /numeric id/],
    ['1e3', 400, /numeric id/],
    ['0x10', 400, /numeric id/],
    ['', 400, /numeric id/],
    [' 12', 400, /numeric id/],
  ])('refuses %j with %i', (value, status, message) => {
    const answer = refusal(() => pipe.transform(value, param));
    expect(answer.status).toBe(status);
    expect(answer.message).toMatch(message);
  });

  it('turns valid ids into numbers, up to the largest safe integer', () => {
    expect(pipe.transform('42', param)).toBe(42);
    expect(pipe.transform('9007199254740991', param)).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe('ParseControllerIdPipe', () => {
  const pipe = new ParseControllerIdPipe();

  it.each([['dev\u00001'], ['d'.repeat(257)], ['']])('refuses %j with 400', (value) => {
    expect(refusal(() => pipe.transform(value))).toMatchObject({
      status: 400,
      errorCode: 'hawkbit.server.error.rest.param.invalid',
    });
  });

  it('passes a valid controllerId through', () => {
    expect(pipe.transform('dev-001')).toBe('dev-001');
  });
});
