import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { parseDeviceInbound, Topics } from '@fleetwave/contracts';
import { HealthController, type PlatformConfig } from '@fleetwave/platform';
import { ServiceKit, serviceKitProviders } from '@fleetwave/service-kit';
import { INVENTORY_SCHEMA, inventoryMigration } from './inventory/inventory.migration';
import { DATABASE_POOL, EVENT_STORE } from './shared/tokens';
import { CreateTargetsController } from './targets/commands/create-targets/create-targets.controller';
import { ListTargetsController } from './targets/queries/list-targets/list-targets.controller';
import { DeviceRegistrationConsumer } from './targets/device-registration/device-registration.consumer';
import { SoftwareModulesController } from './repository/commands/create-software-modules/create-software-modules.controller';
import { DistributionSetsController } from './repository/commands/create-distribution-sets/create-distribution-sets.controller';
import { DistributionSetLookup } from './repository/queries/distribution-set.lookup';
import { RolloutCommandsController } from './rollouts/commands/rollout-commands.controller';
import { CreateRolloutHandler } from './rollouts/commands/create-rollout/create-rollout.handler';
import { StartRolloutHandler } from './rollouts/commands/start-rollout/start-rollout.handler';
import { RolloutRepository } from './rollouts/rollout.repository';
import { TargetResolver } from './rollouts/processes/target-resolver';
import { AssignGroupMembersProcess } from './rollouts/processes/assign-group-members.process';
import { FinishRolloutConsumer } from './rollouts/processes/finish-rollout.consumer';

/** The wiring point: rollout streams relayed to rollout.events.v1, the membership process, two consumers. */
function wireRolloutCommand(
  assignMembers: AssignGroupMembersProcess,
  finishRollout: FinishRolloutConsumer,
  registration: DeviceRegistrationConsumer,
) {
  return (kit: ServiceKit): void => {
    kit
      .migration(inventoryMigration)
      .relay(['rollout'], (event) => ({
        topic: Topics.rolloutEvents,
        key: String((event.data as { rolloutId: number }).rolloutId),
      }))
      .subscribe('assign-group-members', ['rollout'], (events, tx) => assignMembers.handle(events, tx))
      .consumeEvents(
        'rollout-command.group-events',
        [Topics.rolloutGroupEvents],
        (event, ctx) => finishRollout.handle(event, ctx),
        ['RolloutGroupsCompleted.v1'],
      )
      .consume({
        groupId: 'rollout-command.device-registration',
        topics: [Topics.deviceInbound],
        // action-dispatch owns dead-lettering of bad device input; here it is only skipped.
        parse: (value) => {
          const parsed = parseDeviceInbound(value);
          return { ok: true as const, value: parsed.ok ? parsed.value : null };
        },
        relevant: (message) => message !== null && message.type !== 'UPDATE_ACTION_STATUS',
        handle: (message, ctx) => (message ? registration.handle(message, ctx) : Promise.resolve('ignored' as const)),
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
          inject: [AssignGroupMembersProcess, FinishRolloutConsumer, DeviceRegistrationConsumer],
        }),
        { provide: DATABASE_POOL, useFactory: (kit: ServiceKit) => kit.pool, inject: [ServiceKit] },
        { provide: EVENT_STORE, useFactory: (kit: ServiceKit) => kit.store, inject: [ServiceKit] },
        DistributionSetLookup,
        RolloutRepository,
        TargetResolver,
        CreateRolloutHandler,
        StartRolloutHandler,
        AssignGroupMembersProcess,
        FinishRolloutConsumer,
        DeviceRegistrationConsumer,
      ],
    };
  }
}
