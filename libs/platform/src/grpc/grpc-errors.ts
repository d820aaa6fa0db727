import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { describeError } from '../http/hawkbit-exception.filter';
import { HawkbitHttpError, rolloutIllegalStateCode, type HawkbitErrorBody } from '../http/hawkbit-error';

/** Trailers of a failed internal call: the Management API's status and error body. */
export const ErrorTrailers = { httpStatus: 'http-status', body: 'error-body', code: 'error-code' } as const;

/**
 * gRPC status for a Management API status. A 400 for a command in the wrong state is a failed
 * precondition (the request itself was well-formed); any other 400 is an invalid argument.
 */
export function grpcCodeFor(httpStatus: number, errorCode: string | undefined): status {
  if (httpStatus === 400)
    return errorCode === rolloutIllegalStateCode ? status.FAILED_PRECONDITION : status.INVALID_ARGUMENT;
  const codes: Record<number, status> = {
    401: status.UNAUTHENTICATED,
    403: status.PERMISSION_DENIED,
    404: status.NOT_FOUND,
    409: status.ALREADY_EXISTS,
    413: status.INVALID_ARGUMENT,
    415: status.INVALID_ARGUMENT,
    429: status.RESOURCE_EXHAUSTED,
  };
  if (codes[httpStatus] !== undefined) return codes[httpStatus];
  return httpStatus >= 500 ? status.UNAVAILABLE : status.UNKNOWN;
}

/**
 * A gRPC error for a Management API answer: the error code in the message and in the
 * `error-code` trailer (what clients read), the status and whole body in the others (what the
 * gateway turns back into the same REST answer).
 */
export function grpcErrorFor(httpStatus: number, body: Partial<HawkbitErrorBody> | undefined): ServiceError {
  const errorCode = body?.errorCode ?? `http.${httpStatus}`;
  const metadata = new Metadata();
  metadata.set(ErrorTrailers.code, errorCode);
  metadata.set(ErrorTrailers.httpStatus, String(httpStatus));
  metadata.set(ErrorTrailers.body, JSON.stringify(body ?? {}));
  const details = `${errorCode}: ${body?.message ?? `request failed with HTTP ${httpStatus}`}`;
  return Object.assign(new Error(details), { code: grpcCodeFor(httpStatus, body?.errorCode), details, metadata });
}

/** Any error a handler throws, as the gRPC error carrying the answer REST would give for it. */
export function toGrpcError(error: unknown): ServiceError {
  const { status: httpStatus, body } = describeError(error);
  return grpcErrorFor(httpStatus, body as Partial<HawkbitErrorBody>);
}

/** hawkBit's answer while a backing service cannot be reached. */
export const serviceUnavailable = (): HawkbitHttpError =>
  new HawkbitHttpError(503, {
    exceptionClass: 'ServiceUnavailableException',
    errorCode: 'hawkbit.server.error.unavailable',
    message: 'a backing service is unavailable; retry shortly',
  });

/**
 * The Management API error an internal call failed with: the answer the service gave (its
 * trailers), or a 503 when no service answered (unreachable, deadline passed).
 */
export function fromGrpcError(error: unknown): HawkbitHttpError {
  const metadata = (error as Partial<ServiceError>)?.metadata;
  const httpStatus = Number(metadata?.get(ErrorTrailers.httpStatus)[0]);
  const body = metadata?.get(ErrorTrailers.body)[0];
  if (Number.isInteger(httpStatus) && httpStatus >= 400 && typeof body === 'string') {
    try {
      const parsed = JSON.parse(body) as Partial<HawkbitErrorBody>;
      return new HawkbitHttpError(httpStatus, {
        exceptionClass: String(parsed.exceptionClass ?? 'Error'),
        errorCode: String(parsed.errorCode ?? `http.${httpStatus}`),
        message: String(parsed.message ?? ''),
      });
    } catch {
      // Not the body a service writes: treated as no answer.
    }
  }
  return serviceUnavailable();
}
