import { InternalServices, type InternalServiceKey } from '@fleetwave/contracts';
import {
  GrpcServer,
  grpcServiceDefinition,
  unaryImplementation,
  type GrpcService,
  type UnaryMethod,
} from '@fleetwave/platform';

/**
 * Stand-ins of rollout-command's and reporting's internal gRPC services (the real protos, over a
 * real channel on a port of its own), answering with the methods given; a method left out answers
 * UNIMPLEMENTED. `address` is what the gateway's `backends` option takes for both. A service whose
 * methods stream is given as a whole implementation in `streaming`.
 */
export async function standInBackends(
  methods: Partial<Record<InternalServiceKey, Record<string, UnaryMethod>>>,
  streaming: Partial<Record<InternalServiceKey, GrpcService['implementation']>> = {},
): Promise<{ address: string; stop: () => Promise<void> }> {
  const services = Object.entries(InternalServices).map(([key, { file, name }]) => ({
    definition: grpcServiceDefinition(file, name),
    implementation: {
      ...unaryImplementation(methods[key as InternalServiceKey] ?? {}),
      ...streaming[key as InternalServiceKey],
    },
  }));
  const server = new GrpcServer('127.0.0.1:0', services, 'stand-in backends');
  await server.onApplicationBootstrap();
  return { address: `127.0.0.1:${server.port}`, stop: () => server.onApplicationShutdown() };
}
