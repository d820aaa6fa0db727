import { join } from 'node:path';

/** The proto files of the APIs, in libs/contracts/proto. */
export const ProtoFiles = {
  /** `rollout.v1`: the public gRPC API the gateway serves. */
  rolloutV1: join(__dirname, '../proto/rollout/v1/rollout.proto'),
  /** `fleetwave.internal.v1`: what rollout-command and reporting serve to the gateway. */
  internalRollouts: join(__dirname, '../proto/internal/v1/rollouts.proto'),
  /** `fleetwave.internal.v1.SystemConfigs`: tenant settings, served by rollout-command. */
  internalSystem: join(__dirname, '../proto/internal/v1/system.proto'),
  /** `fleetwave.internal.v1.ActionQueries`: action reads, served by reporting. */
  internalActions: join(__dirname, '../proto/internal/v1/actions.proto'),
} as const;
