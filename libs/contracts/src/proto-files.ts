import { join } from 'node:path';

const internal = (file: string) => join(__dirname, `../proto/internal/v1/${file}`);

/** The proto files of the APIs, in libs/contracts/proto. */
export const ProtoFiles = {
  /** `rollout.v1`: the public gRPC API the gateway serves. */
  rolloutV1: join(__dirname, '../proto/rollout/v1/rollout.proto'),
  /** `fleetwave.internal.v1`: what rollout-command and reporting serve to the gateway. */
  internalRollouts: internal('rollouts.proto'),
  /** `fleetwave.internal.v1.SystemConfigs`: tenant settings, served by rollout-command. */
  internalSystem: internal('system.proto'),
  /** `fleetwave.internal.v1.ActionQueries`: action reads, served by reporting. */
  internalActions: internal('actions.proto'),
  /** `fleetwave.internal.v1.Targets`: targets, their metadata and a group's targets (rollout-command). */
  internalTargets: internal('targets.proto'),
  /** `fleetwave.internal.v1.TargetCatalog`: target types, tags and saved filters (rollout-command). */
  internalTargetCatalog: internal('target-catalog.proto'),
  /** `fleetwave.internal.v1.Repository`: module and set types, software modules, distribution sets (rollout-command). */
  internalRepository: internal('repository.proto'),
  /** `fleetwave.internal.v1.Artifacts`: artifacts of software modules, bytes streamed (rollout-command). */
  internalArtifacts: internal('artifacts.proto'),
} as const;

/** The service that owns an internal API. */
export type InternalServiceOwner = 'rollout-command' | 'reporting';

/**
 * Every internal gRPC service the gateway calls: its proto file, its full name and the service
 * that serves it. The gateway's clients, the services' servers and the test stand-ins are all
 * built from this one table.
 */
export const InternalServices = {
  commands: {
    file: ProtoFiles.internalRollouts,
    name: 'fleetwave.internal.v1.RolloutCommands',
    owner: 'rollout-command',
  },
  queries: { file: ProtoFiles.internalRollouts, name: 'fleetwave.internal.v1.RolloutQueries', owner: 'reporting' },
  configs: { file: ProtoFiles.internalSystem, name: 'fleetwave.internal.v1.SystemConfigs', owner: 'rollout-command' },
  actions: { file: ProtoFiles.internalActions, name: 'fleetwave.internal.v1.ActionQueries', owner: 'reporting' },
  targets: { file: ProtoFiles.internalTargets, name: 'fleetwave.internal.v1.Targets', owner: 'rollout-command' },
  catalog: {
    file: ProtoFiles.internalTargetCatalog,
    name: 'fleetwave.internal.v1.TargetCatalog',
    owner: 'rollout-command',
  },
  repository: {
    file: ProtoFiles.internalRepository,
    name: 'fleetwave.internal.v1.Repository',
    owner: 'rollout-command',
  },
  artifacts: { file: ProtoFiles.internalArtifacts, name: 'fleetwave.internal.v1.Artifacts', owner: 'rollout-command' },
} as const satisfies Record<string, { file: string; name: string; owner: InternalServiceOwner }>;

export type InternalServiceKey = keyof typeof InternalServices;
