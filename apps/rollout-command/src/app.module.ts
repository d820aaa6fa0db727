import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { isEventOf, Topics, type RolloutEventMap } from '@fleetwave/contracts';
import {
  GrpcServer,
  HealthController,
  readGrpcAddress,
  type PlatformConfig,
  type ServesGrpc,
} from '@fleetwave/platform';
import { ServiceKit, serviceKitProviders } from '@fleetwave/service-kit';
import { INVENTORY_SCHEMA, inventoryMigration } from './inventory/inventory.migration';
import { DATABASE_POOL, EVENT_STORE } from './shared/tokens';
import { DeviceRegistrationConsumer } from './targets/device-registration/device-registration.consumer';
import { isRegistrationInput, parseRegistrationInput } from './targets/device-registration/registration-input';
import { rolloutStreamEventTypes } from './rollouts/domain/rollout.decider';
import { GroupEventsConsumer, groupEventTypes } from './rollouts/processes/group-events.consumer';
import { rolloutProviders } from './rollouts/rollouts.providers';
import { inventoryGrpcServices, inventoryProviders, targetStatusProviders } from './inventory/inventory.providers';
import { rolloutsMigration } from './rollouts/rollouts.migration';
import { RolloutCommandsGrpc } from './rollouts/rollout-commands.grpc';
import { SystemConfigsGrpc } from './system/system-configs.grpc';
import {
  ActionStatusConsumer,
  actionStatusEventTypes,
  isReplaySafeActionEvent,
} from './targets/action-status/action-status.consumer';

/** What the rollout and membership streams hold: every rollout event, all keyed by rollout. */
const relayedRolloutEvents: (keyof RolloutEventMap)[] = [...rolloutStreamEventTypes, 'RolloutGroupMembersAssigned.v1'];

/**
 * The wiring point: rollout streams relayed to rollout.events.v1, three consumers. Rollout creation
 * is driven by RolloutCreationWorker (its own loop, started with the application).
 */
function wireRolloutCommand(
  groupEvents: GroupEventsConsumer,
  registration: DeviceRegistrationConsumer,
  actionStatus: ActionStatusConsumer,
) {
  return (kit: ServiceKit): void => {
    kit
      .migration(inventoryMigration)
      .migration(rolloutsMigration)
      .relay(['rollout'], (event) =>
        isEventOf(event, relayedRolloutEvents)
          ? { topic: Topics.rolloutEvents, key: String(event.data.rolloutId) }
          : undefined,
      )
      .consumeEventBatches(
        'rollout-command.group-events',
        [Topics.rolloutGroupEvents],
        (items, ctx) => groupEvents.handleBatch(items, ctx),
        groupEventTypes,
      )
      .consumeEventBatches(
        'rollout-command.action-status',
        [Topics.actionEvents],
        (items, ctx) => actionStatus.handleBatch(items, ctx),
        actionStatusEventTypes,
        { replaySafe: isReplaySafeActionEvent },
      )
      .consume({
        groupId: 'rollout-command.device-registration',
        topics: [Topics.deviceInbound],
        parse: parseRegistrationInput,
        // action-dispatch dead-letters bad device input, once for the topic.
        undecodable: 'skip',
        relevant: isRegistrationInput,
        handleBatch: (items, ctx) => registration.handleBatch(items, ctx),
      });
  };
}

/** Every internal gRPC service rollout-command serves to the gateway, on one address. */
const internalGrpcServices = [RolloutCommandsGrpc, SystemConfigsGrpc, ...inventoryGrpcServices];

@Module({})
export class AppModule {
  static forRoot(config: PlatformConfig): DynamicModule {
    // The internal API the gateway calls (ROLLOUT_COMMAND_GRPC_ADDRESS).
    const grpcAddress = readGrpcAddress('ROLLOUT_COMMAND_GRPC_ADDRESS', '127.0.0.1:50061');
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot()],
      controllers: [HealthController],
      providers: [
        ...serviceKitProviders(config, INVENTORY_SCHEMA, {
          useFactory: wireRolloutCommand,
          inject: [GroupEventsConsumer, DeviceRegistrationConsumer, ActionStatusConsumer],
        }),
        { provide: DATABASE_POOL, useFactory: (kit: ServiceKit) => kit.pool, inject: [ServiceKit] },
        { provide: EVENT_STORE, useFactory: (kit: ServiceKit) => kit.store, inject: [ServiceKit] },
        ...rolloutProviders,
        ...inventoryProviders,
        ...targetStatusProviders,
        { provide: DeviceRegistrationConsumer, useValue: new DeviceRegistrationConsumer(INVENTORY_SCHEMA) },
        RolloutCommandsGrpc,
        {
          provide: GrpcServer,
          useFactory: (...services: ServesGrpc[]) =>
            new GrpcServer(
              grpcAddress,
              services.map((s) => s.service()),
              'internal API',
            ),
          inject: internalGrpcServices,
        },
      ],
    };
  }
}
