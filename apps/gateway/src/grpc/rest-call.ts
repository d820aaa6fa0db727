import type { Metadata } from '@grpc/grpc-js';
import { grpcError, type RestErrorBody } from './grpc-status';

/** A REST call made for a gRPC request, with the caller's credentials. */
export type RestCall = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) => Promise<T>;

/**
 * Calls the gateway's own REST API for a gRPC request, passing the caller's `authorization`
 * metadata through. gRPC and REST thereby share one front door: the same authentication,
 * permissions, validation, error mapping and read-your-writes. A failure becomes the gRPC error
 * for its HTTP status.
 */
export function restCallFor(restBaseUrl: string, metadata: Metadata): RestCall {
  const authorization = metadata.get('authorization')[0];
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    let response: Response;
    try {
      response = await fetch(`${restBaseUrl}/rest/v1${path}`, {
        method,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(authorization ? { authorization: String(authorization) } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
    } catch (cause) {
      throw grpcError(503, { errorCode: 'hawkbit.server.error.unavailable', message: String(cause) });
    }
    const text = await response.text();
    const parsed = text ? (safeJson(text) as T & RestErrorBody) : undefined;
    if (!response.ok) throw grpcError(response.status, parsed);
    return (parsed ?? {}) as T;
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 500) };
  }
}
