import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { rolloutIllegalStateCode } from '@fleetwave/platform';

/** The REST API's error body (hawkBit's shape). */
export interface RestErrorBody {
  exceptionClass?: string;
  errorCode?: string;
  message?: string;
}

/**
 * gRPC status for a REST status. A 400 for a command in the wrong state is a failed
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

/** A gRPC error carrying the REST error code in the message and in the `error-code` trailer. */
export function grpcError(httpStatus: number, body: RestErrorBody | undefined): ServiceError {
  const errorCode = body?.errorCode ?? `http.${httpStatus}`;
  const metadata = new Metadata();
  metadata.set('error-code', errorCode);
  const details = `${errorCode}: ${body?.message ?? `request failed with HTTP ${httpStatus}`}`;
  return Object.assign(new Error(details), { code: grpcCodeFor(httpStatus, body?.errorCode), details, metadata });
}
