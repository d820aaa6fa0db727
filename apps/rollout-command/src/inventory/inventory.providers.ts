import type { Provider, Type } from '@nestjs/common';
import type { ServesGrpc } from '@fleetwave/platform';
import { ModuleAssigner } from '../repository/commands/assign-modules/module-assigner';
import { RolloutRepository } from '../rollouts/rollout.repository';
import { ActionStatusConsumer } from '../targets/action-status/action-status.consumer';
import { rolloutFactsFromStreams, RolloutSetsCache } from '../targets/action-status/rollout-sets.cache';
import { TargetStatusStore } from '../targets/action-status/target-status.store';
import { INVENTORY_SCHEMA } from './inventory.migration';
import { RepositoryGrpc, repositoryHandlers } from '../repository/repository.grpc';
import { TargetCatalogGrpc, targetCatalogHandlers } from '../targets/target-catalog.grpc';
import { TargetsGrpc, targetsHandlers } from '../targets/targets.grpc';
import { artifactProviders } from '../repository/artifacts/artifacts.providers';
import { ArtifactsGrpc } from '../repository/artifacts/artifacts.grpc';

/**
 * The inventory's internal gRPC services, which the gateway calls (each is a provider too):
 * `fleetwave.internal.v1.Targets`, `TargetCatalog`, `Repository` and `Artifacts`.
 */
export const inventoryGrpcServices: Type<ServesGrpc>[] = [
  TargetCatalogGrpc,
  TargetsGrpc,
  RepositoryGrpc,
  ArtifactsGrpc,
];

export const inventoryProviders: Provider[] = [
  ModuleAssigner,
  ...targetCatalogHandlers,
  ...targetsHandlers,
  ...repositoryHandlers,
  ...artifactProviders,
  ...inventoryGrpcServices,
];

/** The consumer keeping targets current from action events; it needs the rollouts' streams. */
export const targetStatusProviders: Provider[] = [
  {
    // Targets follow their actions; a rollout's distribution set is read from its own stream.
    provide: ActionStatusConsumer,
    useFactory: (rollouts: RolloutRepository) =>
      new ActionStatusConsumer(
        new TargetStatusStore(INVENTORY_SCHEMA),
        new RolloutSetsCache(rolloutFactsFromStreams(rollouts)),
      ),
    inject: [RolloutRepository],
  },
];
