import { Metadata, status } from '@grpc/grpc-js';
import { HawkbitHttpError } from '../http/hawkbit-error';
import { fromGrpcError, grpcCodeFor, grpcErrorFor, toGrpcError } from './grpc-errors';

describe('Management API errors over gRPC', () => {
  it('maps REST statuses to gRPC codes, telling an illegal state from bad input', () => {
    expect(grpcCodeFor(400, 'hawkbit.server.error.rollout.illegalstate')).toBe(status.FAILED_PRECONDITION);
    expect(grpcCodeFor(400, 'hawkbit.server.error.repo.constraintViolation')).toBe(status.INVALID_ARGUMENT);
    expect([401, 403, 404, 409, 429, 503].map((s) => grpcCodeFor(s, undefined))).toEqual([
      status.UNAUTHENTICATED,
      status.PERMISSION_DENIED,
      status.NOT_FOUND,
      status.ALREADY_EXISTS,
      status.RESOURCE_EXHAUSTED,
      status.UNAVAILABLE,
    ]);
  });

  it('carries the error code in the message and the trailer, and the whole answer in the others', () => {
    const error = grpcErrorFor(404, {
      errorCode: 'hawkbit.server.error.repo.entitiyNotFound',
      message: 'no rollout 9',
    });
    expect(error.message).toBe('hawkbit.server.error.repo.entitiyNotFound: no rollout 9');
    expect(error.code).toBe(status.NOT_FOUND);
    expect(error.metadata.get('error-code')).toEqual(['hawkbit.server.error.repo.entitiyNotFound']);
    expect(error.metadata.get('http-status')).toEqual(['404']);
  });

  it('turns a thrown error into the same REST answer on the other side', () => {
    const thrown = new HawkbitHttpError(409, {
      exceptionClass: 'EntityAlreadyExistsException',
      errorCode: 'hawkbit.server.error.repo.entitiyAlreayExists',
      message: 'name taken',
    });
    const back = fromGrpcError(toGrpcError(thrown));
    expect({ status: back.getStatus(), body: back.body }).toEqual({ status: 409, body: thrown.body });
    // An unexpected error says nothing of its internals.
    expect(fromGrpcError(toGrpcError(new Error('pool exhausted at 10.0.0.3'))).body).toEqual({
      exceptionClass: 'InternalError',
      errorCode: 'server.error.internal',
      message: 'unexpected error',
    });
  });

  it('is a 503 when no service answered (no trailers of ours)', () => {
    const noAnswer = Object.assign(new Error('14 UNAVAILABLE: connection refused'), {
      code: status.UNAVAILABLE,
      metadata: new Metadata(),
    });
    expect(fromGrpcError(noAnswer).getStatus()).toBe(503);
    expect(fromGrpcError(undefined).body.errorCode).toBe('hawkbit.server.error.unavailable');
  });
});
