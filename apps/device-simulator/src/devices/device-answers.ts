import type { DeviceOutboundMessage } from '@fleetwave/contracts';
import type { DeviceBehaviour } from './device-registry';

/** A record of the outbound topic as the simulator reads it. */
export interface OfferRecord {
  key: Buffer | null;
  value: Buffer | null;
}

export interface StatusReport {
  type: 'UPDATE_ACTION_STATUS';
  tenant: string;
  controllerId: string;
  actionId: number;
  status:
    | 'RUNNING'
    | 'DOWNLOAD'
    | 'DOWNLOADED'
    | 'FINISHED'
    | 'ERROR'
    | 'CANCELED'
    | 'CANCEL_REJECTED'
    | 'CONFIRMED'
    | 'DENIED';
  messages: string[];
  timestamp: number;
}

/** What a simulated device reports for a message, in order: progress, then its outcome. */
export function answersFor(message: DeviceOutboundMessage, behaviour: DeviceBehaviour, now: number): StatusReport[] {
  const report = (status: StatusReport['status'], text: string): StatusReport => ({
    type: 'UPDATE_ACTION_STATUS',
    tenant: message.tenant,
    controllerId: message.controllerId,
    actionId: message.actionId,
    status,
    messages: [text],
    timestamp: now,
  });
  const working = behaviour === 'hold' || behaviour === 'reject-cancel';
  switch (message.type) {
    case 'CONFIRM':
      if (behaviour === 'confirm') return [report('CONFIRMED', 'simulator: user confirmed the update')];
      if (behaviour === 'deny') return [report('DENIED', 'simulator: user denied the update')];
      return [];
    case 'CANCEL_DOWNLOAD':
      return behaviour === 'reject-cancel'
        ? [report('CANCEL_REJECTED', 'simulator: too far to cancel'), report('FINISHED', 'simulator: installed')]
        : [report('CANCELED', 'simulator: cancelled')];
    case 'DOWNLOAD':
      if (working) return [report('DOWNLOAD', 'simulator: downloading')];
      return behaviour === 'fail'
        ? [report('DOWNLOAD', 'simulator: downloading'), report('ERROR', 'simulator: download failed')]
        : [report('DOWNLOAD', 'simulator: downloading'), report('DOWNLOADED', 'simulator: downloaded')];
    case 'DOWNLOAD_AND_INSTALL':
      if (working) return [report('RUNNING', 'simulator: installing')];
      return behaviour === 'fail'
        ? [report('RUNNING', 'simulator: installing'), report('ERROR', 'simulator: installation failed')]
        : [report('RUNNING', 'simulator: installing'), report('FINISHED', 'simulator: installed')];
  }
}

/**
 * Every report a Kafka batch of offers calls for, in record order, so each device's reports keep
 * the order of its offers. Records for devices this simulator does not serve are skipped by
 * their key before their value is parsed: on a shared topic most records are someone else's.
 */
export function answersForBatch(
  records: readonly OfferRecord[],
  behaviourOf: (controllerId: string) => DeviceBehaviour | undefined,
  now: number,
): StatusReport[] {
  const reports: StatusReport[] = [];
  for (const record of records) {
    if (record.key && !behaviourOf(record.key.toString())) continue;
    const message = parseOffer(record.value);
    const behaviour = message && behaviourOf(message.controllerId);
    if (message && behaviour) reports.push(...answersFor(message, behaviour, now));
  }
  return reports;
}

const offerTypes = new Set<string>(['DOWNLOAD_AND_INSTALL', 'DOWNLOAD', 'CONFIRM', 'CANCEL_DOWNLOAD']);

/** The offer in a record value, or undefined for anything a device would not understand. */
export function parseOffer(value: Buffer | null): DeviceOutboundMessage | undefined {
  try {
    const message = JSON.parse(value?.toString() ?? '') as DeviceOutboundMessage;
    return typeof message?.controllerId === 'string' &&
      typeof message.actionId === 'number' &&
      offerTypes.has(message.type)
      ? message
      : undefined;
  } catch {
    return undefined;
  }
}
