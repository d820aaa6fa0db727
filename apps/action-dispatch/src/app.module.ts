import { DynamicModule, Module } from '@nestjs/common';
import { parseDeviceInbound, Topics, type DownloadAndInstallMessage } from '@fleetwave/contracts';
import { HealthController, type PlatformConfig } from '@fleetwave/platform';
import { serviceKitProviders, type ServiceKit } from '@fleetwave/service-kit';
import type { DispatchDeps } from './actions/action-streams';
import { DISPATCH_SCHEMA, dispatchMigrationFor } from './actions/actions.migration';
import { RolloutEventsConsumer } from './actions/consumers/rollout-events.consumer';
import { GroupEventsConsumer } from './actions/consumers/group-events.consumer';
import { DeviceStatusConsumer } from './actions/consumers/device-status.consumer';

/** The wiring point: action streams relayed to action.events.v1 and device.outbound.v1; three inputs consumed in batches. */
function wireActionDispatch(kit: ServiceKit): void {
  const deps: DispatchDeps = { store: kit.store, schema: kit.schema, clock: Date.now };
  const rolloutEvents = new RolloutEventsConsumer(deps);
  const groupEvents = new GroupEventsConsumer(deps);
  const deviceStatus = new DeviceStatusConsumer(deps);
  kit
    .migration(dispatchMigrationFor(kit.schema))
    .relay(['action', 'actions'], (event) => {
      if (event.type === 'DeviceMessageRequested.v1') {
        const message = event.data as DownloadAndInstallMessage;
        return { topic: Topics.deviceOutbound, key: message.controllerId, value: message };
      }
      return { topic: Topics.actionEvents, key: String((event.data as { rolloutId: number }).rolloutId) };
    })
    .consumeEventBatches('action-dispatch.rollout-events', [Topics.rolloutEvents], rolloutEvents.handleBatch, [
      'RolloutCreated.v1',
      'RolloutGroupMembersAssigned.v1',
      'RolloutStarted.v1',
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
      providers: serviceKitProviders(config, DISPATCH_SCHEMA, { useFactory: () => wireActionDispatch }),
    };
  }
}
