import type { Provider, Type } from '@nestjs/common';
import type { ServesGrpc } from '@fleetwave/platform';
import { ModuleAssigner } from '../repository/commands/assign-modules/module-assigner';
import { RolloutRepository } from '../rollouts/rollout.repository';
import { ActionStatusConsumer } from '../targets/action-status/action-status.consumer';
import { rolloutFactsFromStreams, RolloutSetsCache } from '../targets/action-status/rollout-sets.cache';
import { TargetStatusStore } from '../targets/action-status/target-status.store';
import { INVENTORY_SCHEMA } from './inventory.migration';
import { DistributionSetManagementController } from '../repository/commands/update-distribution-set/distribution-set-management.controller';
import { DistributionSetTypesController } from '../repository/types/distribution-set-types.controller';
import { SoftwareModuleTypesController } from '../repository/types/software-module-types.controller';
import { UpdateTargetController } from '../targets/commands/update-target/update-target.controller';
import { TargetMetadataController } from '../targets/metadata/target-metadata.controller';
import { TargetFiltersController } from '../targets/saved-filters/target-filters.controller';
import { TargetTagsController } from '../targets/target-tags/target-tags.controller';
import { TargetTypesController } from '../targets/target-types/target-types.controller';
import { artifactControllers, artifactProviders } from '../repository/artifacts/artifacts.providers';

/**
 * The inventory's Management API beyond creating targets, modules and sets (those controllers
 * are wired next to this list): reads, changes and deletes, types, tags and saved filters.
 */
export const inventoryControllers: Type[] = [
  UpdateTargetController,
  TargetMetadataController,
  DistributionSetManagementController,
  SoftwareModuleTypesController,
  DistributionSetTypesController,
  TargetTypesController,
  TargetTagsController,
  TargetFiltersController,
  ...artifactControllers,
];

/**
 * The inventory's internal gRPC services, which the gateway calls (each is a provider too):
 * `fleetwave.internal.v1.Targets`, `TargetCatalog`, `Repository` and `Artifacts`.
 */
export const inventoryGrpcServices: Type<ServesGrpc>[] = [];

export const inventoryProviders: Provider[] = [ModuleAssigner, ...artifactProviders, ...inventoryGrpcServices];

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
