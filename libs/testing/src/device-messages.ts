import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import { Topics } from '@fleetwave/contracts';

/** One device report as a connector sends it: the raw value, so a catalogue can send invalid text too. */
export interface RawDeviceMessage {
  key: string;
  value: string;
}

/** Produces raw messages to device.inbound.v1, with the CloudEvents headers a connector sets. */
export async function sendDeviceMessages(producer: Producer, messages: RawDeviceMessage[]): Promise<void> {
  for (let i = 0; i < messages.length; i += 1_000) {
    await producer.send({
      topic: Topics.deviceInbound,
      messages: messages.slice(i, i + 1_000).map((m) => ({
        key: m.key,
        value: m.value,
        headers: {
          ce_specversion: '1.0',
          ce_id: randomUUID(),
          ce_type: 'device-message',
          ce_source: 'fleetwave/chaos',
        },
      })),
    });
  }
}

export const thingCreated = (controllerId: string): RawDeviceMessage => ({
  key: controllerId,
  value: JSON.stringify({ type: 'THING_CREATED', tenant: 'DEFAULT', controllerId, name: controllerId }),
});

export const statusReport = (controllerId: string, actionId: number, status: string): RawDeviceMessage => ({
  key: controllerId,
  value: JSON.stringify({
    type: 'UPDATE_ACTION_STATUS',
    tenant: 'DEFAULT',
    controllerId,
    actionId,
    status,
    messages: [],
  }),
});
