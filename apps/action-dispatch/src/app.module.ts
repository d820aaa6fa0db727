import { DynamicModule, Module } from '@nestjs/common';
import { parseDeviceInbound, Topics, type DownloadAndInstallMessage } from '@fleetwave/contracts';
import { HealthController, type PlatformConfig } from '@fleetwave/platform';
import { serviceKitProviders, type ServiceKit } from '@fleetwave/service-kit';
import { DISPATCH_SCHEMA, dispatchMigration } from './actions/actions.migration';
import { RolloutEventsConsumer } from './actions/consumers/rollout-events.consumer';
import { GroupEventsConsumer } from './actions/consumers/group-events.consumer';
import { DeviceStatusConsumer } from './actions/consumers/device-status.consumer';

/** The wiring point: action streams relayed to action.events.v1 and device.outbound.v1; three inputs consumed. */
function wireActionDispatch(kit: ServiceKit): void {
  const store = kit.store;
  const rolloutEvents = new RolloutEventsConsumer(store, Date.now);
  const groupEvents = new GroupEventsConsumer(store, Date.now);
  const deviceStatus = new DeviceStatusConsumer(store, Date.now);
  kit
    .migration(dispatchMigration)
    .relay(['action', 'actions'], (event) => {
      if (event.type === 'DeviceMessageRequested.v1') {
        const message = event.data as DownloadAndInstallMessage;
        return { topic: Topics.deviceOutbound, key: message.controllerId, value: message };
      }
      return { topic: Topics.actionEvents, key: String((event.data as { rolloutId: number }).rolloutId) };
    })
    .consumeEvents('action-dispatch.rollout-events', [Topics.rolloutEvents], (event, ctx) =>
      rolloutEvents.handle(event, ctx),
    )
    .consumeEvents(
      'action-dispatch.group-events',
      [Topics.rolloutGroupEvents],
      (event, ctx) => groupEvents.handle(event, ctx),
      ['RolloutGroupStarted.v1'],
    )
    .consume({
      groupId: 'action-dispatch.device-status',
      topics: [Topics.deviceInbound],
      parse: parseDeviceInbound,
      relevant: (message) => message.type === 'UPDATE_ACTION_STATUS',
      handle: (message, ctx) => deviceStatus.handle(message, ctx),
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
