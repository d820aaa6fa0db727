import { InternalServices, type InternalServiceKey } from '@fleetwave/contracts';
import { grpcServiceDefinition, internalClient, readGrpcAddress, type InternalClient } from '@fleetwave/platform';

/**
 * The internal services behind the gateway's routes, one client each ({@link InternalServices}):
 * rollout-command's rollout commands, tenant settings and inventory; reporting's rollout and
 * action queries.
 */
export type Backends = Record<InternalServiceKey, InternalClient>;

/** The token the gateway's controllers inject {@link Backends} by. */
export const BACKENDS = Symbol('BACKENDS');

/** Where the services' internal APIs are (host:port). */
export interface BackendAddresses {
  commands: string;
  queries: string;
}

/** Where the gateway reaches them: `ROLLOUT_COMMAND_GRPC` and `REPORTING_GRPC` (host:port). */
export function readBackendAddresses(env: Record<string, string | undefined> = process.env): BackendAddresses {
  return {
    commands: readGrpcAddress('ROLLOUT_COMMAND_GRPC', '127.0.0.1:50061', env),
    queries: readGrpcAddress('REPORTING_GRPC', '127.0.0.1:50064', env),
  };
}

/** Clients of the services (channels connect on first use and reconnect by themselves). */
export function backendClients(addresses: BackendAddresses): Backends {
  const entries = Object.entries(InternalServices).map(([key, { file, name, owner }]) => [
    key,
    internalClient(
      owner === 'rollout-command' ? addresses.commands : addresses.queries,
      grpcServiceDefinition(file, name),
    ),
  ]);
  return Object.fromEntries(entries) as Backends;
}

export function closeBackends(backends: Backends): void {
  for (const client of Object.values(backends)) client.close();
}
