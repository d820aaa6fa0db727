import { credentials, makeGenericClientConstructor, type Client, type ServiceDefinition } from '@grpc/grpc-js';
import { fromGrpcError } from './grpc-errors';

type Json = Record<string, unknown>;

/** Calls one unary method; resolves with its answer or rejects with the Management API's error for it. */
export type UnaryCall = (method: string, request: Json, timeoutMs?: number) => Promise<Json>;

export interface InternalClient {
  call: UnaryCall;
  close(): void;
}

/**
 * A client of an internal service at `address`. A failure rejects with the HTTP error the
 * service answered (its trailers), or a 503 when it could not be reached in time.
 */
export function internalClient(address: string, definition: ServiceDefinition, defaultTimeoutMs = 30_000) {
  const Constructor = makeGenericClientConstructor(definition, 'internal');
  const client = new Constructor(address, credentials.createInsecure()) as Client &
    Record<string, (request: Json, options: { deadline: number }, done: (e: unknown, r: Json) => void) => void>;
  const call: UnaryCall = (method, request, timeoutMs = defaultTimeoutMs) =>
    new Promise((resolve, reject) => {
      const invoke = client[method];
      if (typeof invoke !== 'function') {
        reject(new Error(`no method ${method}`));
        return;
      }
      invoke.call(client, request, { deadline: Date.now() + timeoutMs }, (error, response) =>
        error ? reject(fromGrpcError(error)) : resolve(response ?? {}),
      );
    });
  return { call, close: () => client.close() } satisfies InternalClient;
}
