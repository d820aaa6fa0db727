import { Topics, type DeviceOutboundMessage, type RecordedEvent } from '@fleetwave/contracts';
import type { RelayRoute } from '@fleetwave/service-kit';

/**
 * Instructions (DOWNLOAD, DOWNLOAD_AND_INSTALL, CANCEL_DOWNLOAD) go to the device topic as the
 * bare message, keyed by the device; every other event (status changes, scheduled counts,
 * settlements) goes to action.events.v1, keyed by its rollout so it keeps the rollout's order,
 * packed with the other events of its rollout in the same relay pass: three services read every
 * one of them, and a record per status change is what they would pay for most. Instructions go
 * one per message: devices read the device topic.
 */
export function actionRelayRoute(event: Pick<RecordedEvent, 'type' | 'data'>): RelayRoute {
  if (event.type === 'DeviceMessageRequested.v1') {
    const message = event.data as DeviceOutboundMessage;
    return { topic: Topics.deviceOutbound, key: message.controllerId, value: message };
  }
  return { topic: Topics.actionEvents, key: String((event.data as { rolloutId: number }).rolloutId), batch: true };
}
