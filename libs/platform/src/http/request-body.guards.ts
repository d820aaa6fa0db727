import type { IncomingMessage } from 'node:http';
import { json, type ErrorRequestHandler, type RequestHandler } from 'express';
import { EdgeErrorCodes, type HawkbitErrorBody } from './hawkbit-error';
import type { HttpLimits } from './http-limits';
import type { StreamedBodyRule } from './streamed-bodies';
import { jsonTextProblem } from './json-text';

/** JSON media types; a body sent without a content type is read as JSON too. */
const isJson = (req: IncomingMessage): boolean => {
  const type = req.headers['content-type'];
  return type === undefined || /^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type);
};

const hasBody = (req: IncomingMessage): boolean =>
  req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;

class BodyRejected extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const decode = (buffer: Buffer, encoding: string): string =>
  Buffer.isEncoding(encoding) ? buffer.toString(encoding) : new TextDecoder(encoding).decode(buffer);

/**
 * Reads JSON bodies up to the size limit and refuses, before parsing, any nested deeper than the
 * nesting limit or holding an escaped NUL. The parser's own errors (413, malformed JSON) and
 * these refusals go to {@link renderBodyErrors}.
 */
export function jsonBodyParser(limits: HttpLimits): RequestHandler {
  return json({
    limit: limits.maxBodyBytes,
    type: isJson,
    verify: (_req, _res, buffer, encoding) => {
      const problem = jsonTextProblem(decode(buffer, encoding), limits.maxJsonDepth);
      if (problem) throw new BodyRejected(400, `entity.${problem.kind}`, problem.message);
    },
  });
}

/**
 * The Management API speaks JSON only: any other body is a 415, or a 413 when it is too large
 * anyway; except on the routes that stream their own bodies (`streamed`), which set their limits.
 */
export function nonJsonBodyGuard(limits: HttpLimits, streamed: readonly StreamedBodyRule[] = []): RequestHandler {
  return (req, _res, next) => {
    if (!hasBody(req) || isJson(req) || streamed.some((rule) => rule(req))) return next();
    if (Number(req.headers['content-length'] ?? 0) > limits.maxBodyBytes) {
      return next(new BodyRejected(413, 'entity.too.large', 'request entity too large'));
    }
    next(new BodyRejected(415, 'media.unsupported', `content type ${req.headers['content-type']} is not supported`));
  };
}

interface ParserError {
  status?: unknown;
  statusCode?: unknown;
  type?: unknown;
  message?: unknown;
}

const describe = (error: ParserError, limits: HttpLimits): { status: number; body: HawkbitErrorBody } => {
  const status = Number(error.status ?? error.statusCode ?? 500);
  const message = typeof error.message === 'string' ? error.message : 'request body refused';
  if (status === 413) {
    return {
      status,
      body: {
        exceptionClass: 'PayloadTooLargeException',
        errorCode: EdgeErrorCodes.bodyTooLarge,
        message: `request body exceeds ${limits.maxBodyBytes} bytes`,
      },
    };
  }
  if (status === 415) {
    return {
      status,
      body: {
        exceptionClass: 'UnsupportedMediaTypeException',
        errorCode: EdgeErrorCodes.mediaTypeUnsupported,
        message,
      },
    };
  }
  if (status >= 400 && status < 500) {
    const text = error.type === 'entity.parse.failed' ? `request body is not valid JSON: ${message}` : message;
    return {
      status: 400,
      body: { exceptionClass: 'MessageNotReadableException', errorCode: EdgeErrorCodes.bodyNotReadable, message: text },
    };
  }
  return {
    status: 500,
    body: { exceptionClass: 'InternalError', errorCode: 'server.error.internal', message: 'unexpected error' },
  };
};

/**
 * Renders what the body middlewares refuse in hawkBit's error shape; without it Express would
 * answer with an HTML page. Registered right after them, so route errors never reach it.
 */
export function renderBodyErrors(limits: HttpLimits): ErrorRequestHandler {
  return (error: ParserError, _req, res, next) => {
    if (res.headersSent) return next(error);
    const { status, body } = describe(error, limits);
    res.status(status).json(body);
  };
}
