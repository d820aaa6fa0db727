import type { OnApplicationShutdown } from '@nestjs/common';
import {
  credentials,
  makeGenericClientConstructor,
  type ClientReadableStream,
  type ClientWritableStream,
  type ServiceError,
} from '@grpc/grpc-js';
import { InternalServices } from '@fleetwave/contracts';
import { fromGrpcError, grpcServiceDefinition } from '@fleetwave/platform';
import type { BackendAddresses } from '../../backends';

type Json = Record<string, unknown>;

interface StreamingClient {
  UploadArtifact(done: (error: ServiceError | null, view?: Json) => void): ClientWritableStream<Json>;
  DownloadArtifact(request: Json): ClientReadableStream<Json>;
  close(): void;
}

/** An `UploadArtifact` call: the messages go to `call`; `answer` is the view or the refusal. */
export interface UploadCall {
  call: ClientWritableStream<Json>;
  /** Rejects with the HTTP error the service answered, or a 503 when it could not be reached. */
  answer: Promise<Json>;
}

/**
 * The streaming methods of `fleetwave.internal.v1.Artifacts` (the unary ones go through
 * `backends.artifacts`), on a channel of their own to the service that owns them. No deadline:
 * a transfer takes as long as its bytes do; the relays end a call that stops moving.
 */
export class ArtifactStreams implements OnApplicationShutdown {
  private readonly client: StreamingClient;

  constructor(addresses: BackendAddresses) {
    const { file, name, owner } = InternalServices.artifacts;
    const Client = makeGenericClientConstructor(grpcServiceDefinition(file, name), 'artifacts');
    const address = owner === 'rollout-command' ? addresses.commands : addresses.queries;
    this.client = new Client(address, credentials.createInsecure()) as unknown as StreamingClient;
  }

  upload(): UploadCall {
    let call!: ClientWritableStream<Json>;
    const answer = new Promise<Json>((resolve, reject) => {
      call = this.client.UploadArtifact((error, view) => (error ? reject(fromGrpcError(error)) : resolve(view ?? {})));
    });
    // Read where the relay needs it; a refusal it no longer waits for must not count as unhandled.
    answer.catch(() => undefined);
    return { call, answer };
  }

  download(request: Json): ClientReadableStream<Json> {
    return this.client.DownloadArtifact(request);
  }

  onApplicationShutdown(): void {
    this.client.close();
  }
}

/** Calls `onIdle` once `touch` was not called for `ms`, until `stop`: how a relay ends a stalled transfer. */
export function idleWatch(ms: number, onIdle: () => void): { touch(): void; stop(): void } {
  const timer = setTimeout(onIdle, ms);
  return { touch: () => void timer.refresh(), stop: () => clearTimeout(timer) };
}
