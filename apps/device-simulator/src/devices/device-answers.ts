import type { DeviceOutboundMessage } from '@fleetwave/contracts';
import type { DeviceBehaviour } from './device-registry';

export interface StatusReport {
  type: 'UPDATE_ACTION_STATUS';
  tenant: string;
  controllerId: string;
  actionId: number;
  status: 'RUNNING' | 'DOWNLOAD' | 'DOWNLOADED' | 'FINISHED' | 'ERROR' | 'CANCELED';
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
  switch (message.type) {
    case 'CANCEL_DOWNLOAD':
      return [report('CANCELED', 'simulator: cancelled')];
    case 'DOWNLOAD':
      return behaviour === 'fail'
        ? [report('DOWNLOAD', 'simulator: downloading'), report('ERROR', 'simulator: download failed')]
        : [report('DOWNLOAD', 'simulator: downloading'), report('DOWNLOADED', 'simulator: downloaded')];
    case 'DOWNLOAD_AND_INSTALL':
      return behaviour === 'fail'
        ? [report('RUNNING', 'simulator: installing'), report('ERROR', 'simulator: installation failed')]
        : [report('RUNNING', 'simulator: installing'), report('FINISHED', 'simulator: installed')];
  }
}
