import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { sqlState } from '../database/database';
import { EdgeErrorCodes, hawkbitExceptionClasses, HawkbitHttpError, hawkbitRuleErrors } from './hawkbit-error';

const statusByKind: Record<string, number> = { bad_request: 400, not_found: 404, conflict: 409, quota: 429 };

interface CodedError {
  code?: unknown;
  kind?: unknown;
  message?: unknown;
  name?: unknown;
}

/**
 * Renders every error as hawkBit's error body `{ exceptionClass, errorCode, message }`. Rule
 * violations and application errors get their documented status, and hawkBit's code and
 * exception class where it has one for them; a Postgres data exception
 * (SQLSTATE class 22: a request value the column type cannot hold) is the client's 400 and is
 * logged, since the edge validation should have caught it; anything else unexpected is logged
 * and answered with 500 without internals.
 */
@Catch()
export class HawkbitExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { status, body } = describeError(error);
    if (status >= 500 && !(error instanceof HttpException)) {
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    } else if (isDataException(error)) {
      this.logger.warn(`request value refused by Postgres (${sqlState(error)}): ${(error as Error).message}`);
    }
    response.status(status).json(body);
  }
}

/**
 * The status and hawkBit body an error is answered with, on REST and on the internal gRPC API
 * alike: rule violations and application errors get their documented status, and hawkBit's code
 * and exception class where it has one for them; anything unexpected is a 500 without internals.
 */
export function describeError(error: unknown): { status: number; body: Record<string, unknown> } {
  if (error instanceof HawkbitHttpError) return { status: error.getStatus(), body: { ...error.body } };
  if (isDataException(error)) {
    return {
      status: 400,
      body: {
        exceptionClass: 'ConstraintViolationException',
        errorCode: EdgeErrorCodes.constraintViolation,
        message: 'a value in the request is out of range or malformed for its field',
      },
    };
  }
  if (error instanceof HttpException) {
    const payload = error.getResponse();
    // A body given on purpose (readiness with its checks) is sent as it is.
    if (typeof payload === 'object' && payload !== null && !('message' in payload)) {
      return { status: error.getStatus(), body: payload as Record<string, unknown> };
    }
    const message =
      typeof payload === 'object' && payload !== null && 'message' in payload
        ? [(payload as { message: unknown }).message].flat().join('; ')
        : error.message;
    return {
      status: error.getStatus(),
      body: { exceptionClass: error.name, errorCode: `http.${error.getStatus()}`, message },
    };
  }
  const coded = (typeof error === 'object' && error !== null ? error : {}) as CodedError;
  const code = typeof coded.code === 'string' ? coded.code : undefined;
  const told = code ? hawkbitRuleErrors[code] : undefined;
  const status = told?.status ?? ((typeof coded.kind === 'string' && statusByKind[coded.kind]) || 500);
  if (status === 500) {
    return {
      status,
      body: { exceptionClass: 'InternalError', errorCode: 'server.error.internal', message: 'unexpected error' },
    };
  }
  return {
    status,
    body: {
      exceptionClass: told?.exceptionClass ?? (code && hawkbitExceptionClasses[code]) ?? String(coded.name ?? 'Error'),
      errorCode: told?.errorCode ?? code ?? 'server.error',
      message: String(coded.message),
    },
  };
}

/** SQLSTATE class 22, "data exception": 22P02 invalid text, 22003 out of range, 22021 NUL byte … */
const isDataException = (error: unknown): boolean => sqlState(error)?.startsWith('22') === true;
