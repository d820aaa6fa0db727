import { ProtoFiles } from '@fleetwave/contracts';
import { grpcServiceDefinition, internalClient, readGrpcAddress, type InternalClient } from '@fleetwave/platform';

/**
 * The internal services behind the gateway's own routes: rollout-command's rollout commands and
 * tenant settings, reporting's rollout and action queries.
 */
export interface RolloutBackends {
  commands: InternalClient;
  queries: InternalClient;
  configs: InternalClient;
  actions: InternalClient;
}

/** Where the gateway reaches them: `ROLLOUT_COMMAND_GRPC` and `REPORTING_GRPC` (host:port). */
export function readRolloutBackends(env: Record<string, string | undefined> = process.env): {
  commands: string;
  queries: string;
} {
  return {
    commands: readGrpcAddress('ROLLOUT_COMMAND_GRPC', '127.0.0.1:50061', env),
    queries: readGrpcAddress('REPORTING_GRPC', '127.0.0.1:50064', env),
  };
}

const client = (address: string, protoFile: string, service: string) =>
  internalClient(address, grpcServiceDefinition(protoFile, `fleetwave.internal.v1.${service}`));

/** Clients of the services (channels connect on first use and reconnect by themselves). */
export function rolloutBackends(addresses: { commands: string; queries: string }): RolloutBackends {
  return {
    commands: client(addresses.commands, ProtoFiles.internalRollouts, 'RolloutCommands'),
    queries: client(addresses.queries, ProtoFiles.internalRollouts, 'RolloutQueries'),
    configs: client(addresses.commands, ProtoFiles.internalSystem, 'SystemConfigs'),
    actions: client(addresses.queries, ProtoFiles.internalActions, 'ActionQueries'),
  };
}

export function closeBackends(backends: RolloutBackends): void {
  backends.commands.close();
  backends.queries.close();
  backends.configs.close();
  backends.actions.close();
}
