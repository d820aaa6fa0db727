import type { ServiceDefinition } from '@grpc/grpc-js';
import { ProtoFiles } from '@fleetwave/contracts';
import { GrpcServer, grpcServiceDefinition, readGrpcAddress } from '@fleetwave/platform';
import type { Credentials } from '../auth/authorize';
import type { RolloutApi } from '../rollouts/rollout-api';
import type { ChangeFeed } from './change-feed';
import { rolloutServiceImplementation } from './rollout-grpc.service';

/** The `rollout.v1.RolloutService` definition. */
export function rolloutServiceDefinition(): ServiceDefinition {
  return grpcServiceDefinition(ProtoFiles.rolloutV1, 'rollout.v1.RolloutService');
}

/** Where the public gRPC API listens: `GRPC_ADDRESS` (host:port, default 127.0.0.1:50051). */
export const readGrpcSettings = (env: Record<string, string | undefined> = process.env) => ({
  address: readGrpcAddress('GRPC_ADDRESS', '127.0.0.1:50051', env),
});

/** The public gRPC API, served while the application runs. */
export function rolloutGrpcServer(address: string, api: RolloutApi, credentials: Credentials, feed: ChangeFeed) {
  return new GrpcServer(
    address,
    [{ definition: rolloutServiceDefinition(), implementation: rolloutServiceImplementation(api, credentials, feed) }],
    'rollout.v1.RolloutService',
  );
}
