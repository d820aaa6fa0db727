import { DynamicModule, Module } from '@nestjs/common';
import { parseDeviceInbound, Topics } from '@fleetwave/contracts';
import { HealthController, READINESS_CHECKS, type PlatformConfig } from '@fleetwave/platform';
import { ServiceKit, serviceKitProviders } from '@fleetwave/service-kit';
import { actionRelayRoute } from './actions/action-relay.route';
import type { DispatchDeps } from './actions/action-streams';
import { DISPATCH_SCHEMA, dispatchMigrationFor } from './actions/actions.migration';
import { RolloutEventsConsumer } from './actions/consumers/rollout-events.consumer';
import { GroupEventsConsumer } from './actions/consumers/group-events.consumer';
import { DeviceStatusConsumer } from './actions/consumers/device-status.consumer';
import { DispatchChunkStep } from './actions/dispatch/dispatch-chunk.step';
import { createDispatchListener } from './actions/dispatch/dispatch.listener';
import { DispatchWorker } from './actions/dispatch/dispatch.worker';

const depsOf = (kit: ServiceKit): DispatchDeps => ({ store: kit.store, schema: kit.schema, clock: Date.now });

/**
 * The wiring point: action streams relayed to action.events.v1 and device.outbound.v1; three
 * inputs consumed in batches. Creating, activating and cancelling actions is DispatchWorker's
 * (its own loop, started with the application), so that no consumer transaction grows with the
 * rollout.
 */
function wireActionDispatch(kit: ServiceKit): void {
  const deps = depsOf(kit);
  const rolloutEvents = new RolloutEventsConsumer(deps);
  const groupEvents = new GroupEventsConsumer(deps);
  const deviceStatus = new DeviceStatusConsumer(deps);
  kit
    .migration(dispatchMigrationFor(kit.schema))
    .relay(['action', 'actions'], actionRelayRoute)
    .consumeEventBatches('action-dispatch.rollout-events', [Topics.rolloutEvents], rolloutEvents.handleBatch, [
      'RolloutCreated.v1',
      'RolloutGroupMembersAssigned.v1',
      'RolloutGroupAdded.v1',
      'RolloutStarted.v1',
      'RolloutStopping.v1',
      'RolloutDeleting.v1',
      'RolloutStopped.v1',
      'RolloutRemoved.v1',
    ])
    .consumeEventBatches('action-dispatch.group-events', [Topics.rolloutGroupEvents], groupEvents.handleBatch, [
      'RolloutGroupStarted.v1',
    ])
    .consume({
      groupId: 'action-dispatch.device-status',
      topics: [Topics.deviceInbound],
      parse: parseDeviceInbound,
      relevant: (message) => message.type === 'UPDATE_ACTION_STATUS',
      handleBatch: deviceStatus.handleBatch,
    });
}

@Module({})
export class AppModule {
  static forRoot(config: PlatformConfig): DynamicModule {
    return {
      module: AppModule,
      controllers: [HealthController],
      providers: [
        ...serviceKitProviders(config, DISPATCH_SCHEMA, { useFactory: () => wireActionDispatch }),
        {
          provide: DispatchWorker,
          useFactory: (kit: ServiceKit) =>
            new DispatchWorker(
              kit.pool,
              new DispatchChunkStep(depsOf(kit)),
              kit.schema,
              createDispatchListener(config.databaseUrl, kit.schema),
            ),
          inject: [ServiceKit],
        },
        // The kit's checks plus the worker's: a piece of dispatch work failing for too long shows on /health/ready.
        {
          provide: READINESS_CHECKS,
          useFactory: (kit: ServiceKit, worker: DispatchWorker) => [...kit.readinessChecks(), worker.readinessCheck()],
          inject: [ServiceKit, DispatchWorker],
        },
      ],
    };
  }
}
