import {
  GrpcServer,
  grpcServiceDefinition,
  internalClient,
  type GrpcService,
  type InternalClient,
} from '@fleetwave/platform';

/**
 * Serves `service` on a port of its own (127.0.0.1:0) over a real channel and connects a client
 * of it, as the gateway would call it: `name` is its full name in `protoFile`.
 */
export async function servedOverGrpc(
  service: GrpcService,
  protoFile: string,
  name: string,
): Promise<{ client: InternalClient; stop: () => Promise<void> }> {
  const server = new GrpcServer('127.0.0.1:0', [service], name);
  await server.onApplicationBootstrap();
  const client = internalClient(`127.0.0.1:${server.port}`, grpcServiceDefinition(protoFile, name));
  return {
    client,
    stop: async () => {
      client.close();
      await server.onApplicationShutdown();
    },
  };
}

/**
 * The REST answer an internal call was refused with (its status and hawkBit error code), or
 * undefined when it succeeded.
 */
export async function refusalOf(work: Promise<unknown>): Promise<{ status: number; errorCode: string } | undefined> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e as { getStatus(): number; body: { errorCode: string } },
  );
  return error && { status: error.getStatus(), errorCode: error.body.errorCode };
}
