import { HttpException } from '@nestjs/common';

/** hawkBit's error body, the one shape every error answer of the Management API has. */
export interface HawkbitErrorBody {
  exceptionClass: string;
  errorCode: string;
  message: string;
}

/** Error codes of the request edge (hawkBit's where it has one). */
export const EdgeErrorCodes = {
  constraintViolation: 'hawkbit.server.error.repo.constraintViolation',
  paramInvalid: 'hawkbit.server.error.rest.param.invalid',
  bodyNotReadable: 'hawkbit.server.error.rest.body.notReadable',
  bodyTooLarge: 'hawkbit.server.error.rest.body.tooLarge',
  mediaTypeUnsupported: 'hawkbit.server.error.rest.mediaType.unsupported',
  entityNotFound: 'hawkbit.server.error.repo.entitiyNotFound',
} as const;

/** hawkBit's code for a rollout command in the wrong state (gRPC: a failed precondition). */
export const rolloutIllegalStateCode = 'hawkbit.server.error.rollout.illegalstate';

/**
 * How the domain's rule violations (stable `AREA.REASON` codes, which the consumers classify)
 * are told to clients: the HTTP status, and hawkBit's error code and exception class for the
 * same failure. A code not listed falls back on the error's kind.
 */
export const hawkbitRuleErrors: Readonly<
  Record<string, { status: number; errorCode: string; exceptionClass: string }>
> = {
  'ROLLOUT.ILLEGAL_STATE': {
    status: 400,
    errorCode: rolloutIllegalStateCode,
    exceptionClass: 'RolloutIllegalStateException',
  },
  'ROLLOUT.NOT_FOUND': {
    status: 404,
    errorCode: EdgeErrorCodes.entityNotFound,
    exceptionClass: 'EntityNotFoundException',
  },
  'ROLLOUT.ALREADY_EXISTS': {
    status: 409,
    errorCode: 'hawkbit.server.error.repo.entitiyAlreayExists',
    exceptionClass: 'EntityAlreadyExistsException',
  },
  'TARGET_FILTER.INVALID': {
    status: 400,
    errorCode: 'hawkbit.server.error.rest.param.rsqlParamSyntax',
    exceptionClass: 'RSQLParameterSyntaxException',
  },
  'TARGET_FILTER.UNKNOWN_FIELD': {
    status: 400,
    errorCode: 'hawkbit.server.error.rest.param.rsqlInvalidField',
    exceptionClass: 'RSQLParameterUnsupportedFieldException',
  },
  'EVENT_STORE.WRONG_EXPECTED_VERSION': {
    status: 409,
    errorCode: 'hawkbit.server.error.repo.concurrentModification',
    exceptionClass: 'ConcurrentModificationException',
  },
};

/**
 * hawkBit's exception class for each of its error codes an application error may carry, so that
 * a refusal names the class a hawkBit client expects with the code. A code not listed keeps the
 * error's own name.
 */
export const hawkbitExceptionClasses: Readonly<Record<string, string>> = {
  [EdgeErrorCodes.entityNotFound]: 'EntityNotFoundException',
  'hawkbit.server.error.repo.entitiyAlreayExists': 'EntityAlreadyExistsException',
  [EdgeErrorCodes.constraintViolation]: 'ConstraintViolationException',
  [EdgeErrorCodes.paramInvalid]: 'InvalidParameterException',
  [EdgeErrorCodes.bodyNotReadable]: 'MessageNotReadableException',
  'hawkbit.server.error.entitiylocked': 'LockedException',
  'hawkbit.server.error.entityreadonly': 'EntityReadOnlyException',
  'hawkbit.server.error.quota.tooManyEntries': 'AssignmentQuotaExceededException',
  'hawkbit.server.error.quota.fileSizeExceeded': 'FileSizeQuotaExceededException',
  'hawkbit.server.error.quota.storageExceeded': 'StorageQuotaExceededException',
  [rolloutIllegalStateCode]: 'RolloutIllegalStateException',
  'hawkbit.server.error.rollout.verificationFailed': 'RolloutVerificationException',
  'hawkbit.server.error.distributionset.incomplete': 'IncompleteDistributionSetException',
  'hawkbit.server.error.distributionset.invalid': 'InvalidDistributionSetException',
  'hawkbit.server.error.rest.param.rsqlParamSyntax': 'RSQLParameterSyntaxException',
  'hawkbit.server.error.rest.param.rsqlInvalidField': 'RSQLParameterUnsupportedFieldException',
  'hawkbit.server.error.rest.param.sortParamSyntax': 'SortParameterSyntaxErrorException',
  'hawkbit.server.error.configKeyInvalid': 'InvalidTenantConfigurationKeyException',
  'hawkbit.server.error.configValueInvalid': 'TenantConfigurationValidatorException',
  'hawkbit.server.error.artifact.uploadFailed': 'ArtifactUploadFailedException',
};

/** An HTTP error answered with exactly the hawkBit body it carries. */
export class HawkbitHttpError extends HttpException {
  constructor(
    status: number,
    readonly body: HawkbitErrorBody,
  ) {
    super(body, status);
    this.name = body.exceptionClass;
  }
}

/** A request whose fields break the data model's rules (400). */
export const constraintViolation = (message: string): HawkbitHttpError =>
  new HawkbitHttpError(400, {
    exceptionClass: 'ConstraintViolationException',
    errorCode: EdgeErrorCodes.constraintViolation,
    message,
  });

/** A path or query parameter that is not what the resource takes (400). */
export const invalidParameter = (message: string): HawkbitHttpError =>
  new HawkbitHttpError(400, {
    exceptionClass: 'InvalidParameterException',
    errorCode: EdgeErrorCodes.paramInvalid,
    message,
  });

/** An id that no entity can have (404, as for any unknown id). */
export const entityNotFound = (entity: string, id: string): HawkbitHttpError =>
  new HawkbitHttpError(404, {
    exceptionClass: 'EntityNotFoundException',
    errorCode: EdgeErrorCodes.entityNotFound,
    message: `${entity} with given identifier {${id}} does not exist.`,
  });

/** Shortens a client-supplied value for an error message. */
export const quoted = (value: unknown): string => JSON.stringify(String(value).slice(0, 64));
