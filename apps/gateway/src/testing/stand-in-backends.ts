import { ProtoFiles } from '@fleetwave/contracts';
import { GrpcServer, grpcServiceDefinition, unaryImplementation, type UnaryMethod } from '@fleetwave/platform';

/**
 * Stand-ins of rollout-command's and reporting's internal gRPC services (the real proto, over a
 * real channel on a port of its own), answering with the methods given; a method left out answers
 * UNIMPLEMENTED. `address` is what the gateway's `backends` option takes for both.
 */
export async function standInBackends(methods: {
  commands?: Record<string, UnaryMethod>;
  queries?: Record<string, UnaryMethod>;
  configs?: Record<string, UnaryMethod>;
  actions?: Record<string, UnaryMethod>;
}): Promise<{ address: string; stop: () => Promise<void> }> {
  const service = (file: string, name: string, implementation: Record<string, UnaryMethod> = {}) => ({
    definition: grpcServiceDefinition(file, `fleetwave.internal.v1.${name}`),
    implementation: unaryImplementation(implementation),
  });
  const server = new GrpcServer(
    '127.0.0.1:0',
    [
      service(ProtoFiles.internalRollouts, 'RolloutCommands', methods.commands),
      service(ProtoFiles.internalRollouts, 'RolloutQueries', methods.queries),
      service(ProtoFiles.internalSystem, 'SystemConfigs', methods.configs),
      service(ProtoFiles.internalActions, 'ActionQueries', methods.actions),
    ],
    'stand-in backends',
  );
  await server.onApplicationBootstrap();
  return { address: `127.0.0.1:${server.port}`, stop: () => server.onApplicationShutdown() };
}
