import type { ArgumentsHost } from '@nestjs/common';
import { constraintViolation } from './hawkbit-error';
import { HawkbitExceptionFilter } from './hawkbit-exception.filter';
import { readHttpLimits } from './http-limits';

/** Runs the filter on `error` and returns what it answered. */
const answer = (error: unknown): { status: number; body: unknown } => {
  const sent = { status: 0, body: undefined as unknown };
  const response = {
    status: (status: number) => {
      sent.status = status;
      return response;
    },
    json: (body: unknown) => {
      sent.body = body;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
  new HawkbitExceptionFilter().catch(error, host);
  return sent;
};

describe('HawkbitExceptionFilter at the request edge', () => {
  it('answers an edge refusal with exactly its hawkBit body', () => {
    expect(answer(constraintViolation('limit must be an integer from 1 to 500'))).toEqual({
      status: 400,
      body: {
        exceptionClass: 'ConstraintViolationException',
        errorCode: 'hawkbit.server.error.repo.constraintViolation',
        message: 'limit must be an integer from 1 to 500',
      },
    });
  });

  it.each(['22P02', '22003', '22021', '22P05'])('turns the Postgres data exception %s into a 400', (code) => {
    const error = Object.assign(new Error('invalid input syntax for type bigint: "1.5"'), { code });
    expect(answer(error)).toMatchObject({
      status: 400,
      body: { errorCode: 'hawkbit.server.error.repo.constraintViolation' },
    });
  });

  it.each([
    ['ROLLOUT.ILLEGAL_STATE', 400, 'RolloutIllegalStateException', 'hawkbit.server.error.rollout.illegalstate'],
    ['ROLLOUT.NOT_FOUND', 404, 'EntityNotFoundException', 'hawkbit.server.error.repo.entitiyNotFound'],
    ['ROLLOUT.ALREADY_EXISTS', 409, 'EntityAlreadyExistsException', 'hawkbit.server.error.repo.entitiyAlreayExists'],
    ['TARGET_FILTER.INVALID', 400, 'RSQLParameterSyntaxException', 'hawkbit.server.error.rest.param.rsqlParamSyntax'],
    [
      'TARGET_FILTER.UNKNOWN_FIELD',
      400,
      'RSQLParameterUnsupportedFieldException',
      'hawkbit.server.error.rest.param.rsqlInvalidField',
    ],
    [
      'EVENT_STORE.WRONG_EXPECTED_VERSION',
      409,
      'ConcurrentModificationException',
      'hawkbit.server.error.repo.concurrentModification',
    ],
  ])('tells the rule violation %s as hawkBit does', (code, status, exceptionClass, errorCode) => {
    const error = Object.assign(new Error('rollout 7 is running'), { name: 'RolloutRuleError', code });
    expect(answer(error)).toEqual({ status, body: { exceptionClass, errorCode, message: 'rollout 7 is running' } });
  });

  it.each([
    ['not_found', 'hawkbit.server.error.repo.entitiyNotFound', 404, 'EntityNotFoundException'],
    ['conflict', 'hawkbit.server.error.repo.entitiyAlreayExists', 409, 'EntityAlreadyExistsException'],
    ['quota', 'hawkbit.server.error.quota.tooManyEntries', 429, 'AssignmentQuotaExceededException'],
    ['bad_request', 'hawkbit.server.error.distributionset.incomplete', 400, 'IncompleteDistributionSetException'],
  ])("names hawkBit's exception class for an application error of kind %s with code %s", (kind, code, status, cls) => {
    const error = Object.assign(new Error('refused'), { name: 'ApplicationError', code, kind });
    expect(answer(error)).toEqual({ status, body: { exceptionClass: cls, errorCode: code, message: 'refused' } });
  });

  it('keeps a coded error hawkBit has no code for as it is, with the status of its kind', () => {
    const error = Object.assign(new Error('too many'), { name: 'QuotaError', code: 'QUOTA.TARGETS', kind: 'quota' });
    expect(answer(error)).toEqual({
      status: 429,
      body: { exceptionClass: 'QuotaError', errorCode: 'QUOTA.TARGETS', message: 'too many' },
    });
  });

  it('keeps other unexpected failures a 500 without internals', () => {
    const error = Object.assign(new Error('connection terminated'), { code: '57P01' });
    expect(answer(error)).toEqual({
      status: 500,
      body: { exceptionClass: 'InternalError', errorCode: 'server.error.internal', message: 'unexpected error' },
    });
  });
});

describe('readHttpLimits', () => {
  it('defaults to 1 MiB bodies nested at most 32 deep, and refuses nonsense', () => {
    expect(readHttpLimits({})).toEqual({ maxBodyBytes: 1_048_576, maxJsonDepth: 32 });
    expect(readHttpLimits({ HTTP_MAX_BODY_BYTES: '2097152', HTTP_MAX_JSON_DEPTH: '64' })).toEqual({
      maxBodyBytes: 2_097_152,
      maxJsonDepth: 64,
    });
    expect(() => readHttpLimits({ HTTP_MAX_JSON_DEPTH: '1' })).toThrow(/HTTP_MAX_JSON_DEPTH/);
    expect(() => readHttpLimits({ HTTP_MAX_BODY_BYTES: 'lots' })).toThrow(/HTTP_MAX_BODY_BYTES/);
  });
});
