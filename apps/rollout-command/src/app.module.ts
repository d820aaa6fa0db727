import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { isEventOf, Topics, type RolloutEventMap } from '@fleetwave/contracts';
import type { EventStore } from '@fleetwave/event-store';
import { HealthController, type PlatformConfig } from '@fleetwave/platform';
import { ServiceKit, serviceKitProviders } from '@fleetwave/service-kit';
import { INVENTORY_SCHEMA, inventoryMigration } from './inventory/inventory.migration';
import { DATABASE_POOL, EVENT_STORE } from './shared/tokens';
import { CreateTargetsController } from './targets/commands/create-targets/create-targets.controller';
import { ListTargetsController } from './targets/queries/list-targets/list-targets.controller';
import { DeviceRegistrationConsumer } from './targets/device-registration/device-registration.consumer';
import { isRegistrationInput, parseRegistrationInput } from './targets/device-registration/registration-input';
import { SoftwareModulesController } from './repository/commands/create-software-modules/create-software-modules.controller';
import { DistributionSetsController } from './repository/commands/create-distribution-sets/create-distribution-sets.controller';
import { DistributionSetLookup } from './repository/queries/distribution-set.lookup';
import { RolloutCommandsController } from './rollouts/commands/rollout-commands.controller';
import { CreateRolloutHandler } from './rollouts/commands/create-rollout/create-rollout.handler';
import { StartRolloutHandler } from './rollouts/commands/start-rollout/start-rollout.handler';
import { RolloutRepository } from './rollouts/rollout.repository';
import { TargetResolver } from './rollouts/processes/target-resolver';
import { CreationProgressStore } from './rollouts/processes/creation-progress.store';
import { CreationChunkStep } from './rollouts/processes/creation-chunk.step';
import { RolloutCreationWorker } from './rollouts/processes/rollout-creation.worker';
import { FinishRolloutConsumer } from './rollouts/processes/finish-rollout.consumer';

/** What the rollout and membership streams hold: every rollout event, all keyed by rollout. */
const relayedRolloutEvents: (keyof RolloutEventMap)[] = [
  'RolloutCreated.v1',
  'RolloutGroupMembersAssigned.v1',
  'RolloutReady.v1',
  'RolloutStarted.v1',
  'RolloutFinished.v1',
];

/**
 * The wiring point: rollout streams relayed to rollout.events.v1, two consumers. Rollout creation
 * is driven by RolloutCreationWorker (its own loop, started with the application).
 */
function wireRolloutCommand(finishRollout: FinishRolloutConsumer, registration: DeviceRegistrationConsumer) {
  return (kit: ServiceKit): void => {
    kit
      .migration(inventoryMigration)
      .relay(['rollout'], (event) =>
        isEventOf(event, relayedRolloutEvents)
          ? { topic: Topics.rolloutEvents, key: String(event.data.rolloutId) }
          : undefined,
      )
      .consumeEventBatches(
        'rollout-command.group-events',
        [Topics.rolloutGroupEvents],
        (items, ctx) => finishRollout.handleBatch(items, ctx),
        ['RolloutGroupsCompleted.v1'],
      )
      .consume({
        groupId: 'rollout-command.device-registration',
        topics: [Topics.deviceInbound],
        parse: parseRegistrationInput,
        relevant: isRegistrationInput,
        handleBatch: (items, ctx) => registration.handleBatch(items, ctx),
      });
  };
}

@Module({})
export class AppModule {
  static forRoot(config: PlatformConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot()],
      controllers: [
        HealthController,
        CreateTargetsController,
        ListTargetsController,
        SoftwareModulesController,
        DistributionSetsController,
        RolloutCommandsController,
      ],
      providers: [
        ...serviceKitProviders(config, INVENTORY_SCHEMA, {
          useFactory: wireRolloutCommand,
          inject: [FinishRolloutConsumer, DeviceRegistrationConsumer],
        }),
        { provide: DATABASE_POOL, useFactory: (kit: ServiceKit) => kit.pool, inject: [ServiceKit] },
        { provide: EVENT_STORE, useFactory: (kit: ServiceKit) => kit.store, inject: [ServiceKit] },
        DistributionSetLookup,
        RolloutRepository,
        {
          provide: TargetResolver,
          useFactory: (pool: Pool) => new TargetResolver(pool, INVENTORY_SCHEMA),
          inject: [DATABASE_POOL],
        },
        { provide: CreationProgressStore, useValue: new CreationProgressStore(INVENTORY_SCHEMA) },
        {
          provide: RolloutCreationWorker,
          useFactory: (
            pool: Pool,
            store: EventStore,
            resolver: TargetResolver,
            rollouts: RolloutRepository,
            progress: CreationProgressStore,
          ) => new RolloutCreationWorker(pool, new CreationChunkStep(store, resolver, rollouts, progress), progress),
          inject: [DATABASE_POOL, EVENT_STORE, TargetResolver, RolloutRepository, CreationProgressStore],
        },
        CreateRolloutHandler,
        StartRolloutHandler,
        {
          provide: FinishRolloutConsumer,
          useFactory: (rollouts: RolloutRepository) => new FinishRolloutConsumer(rollouts),
          inject: [RolloutRepository],
        },
        { provide: DeviceRegistrationConsumer, useValue: new DeviceRegistrationConsumer(INVENTORY_SCHEMA) },
      ],
    };
  }
}
