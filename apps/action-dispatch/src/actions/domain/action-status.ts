import type { ActionStatus, DeviceActionStatus } from '@fleetwave/contracts';
import { finalActionStatuses } from '@fleetwave/contracts';

/** Device-reported status → action status; CONFIRMED/DENIED belong to the confirmation flow. */
const fromDevice: Record<DeviceActionStatus, ActionStatus | undefined> = {
  DOWNLOAD: 'download',
  RETRIEVED: 'retrieved',
  RUNNING: 'running',
  FINISHED: 'finished',
  ERROR: 'error',
  WARNING: 'warning',
  CANCELED: 'canceled',
  CANCEL_REJECTED: 'cancel_rejected',
  DOWNLOADED: 'downloaded',
  CONFIRMED: 'running',
  DENIED: undefined,
};

export type StatusDecision = { change: ActionStatus } | { ignored: string };

/** What a device status report does to an action: final statuses stay final, repeats change nothing. */
export function decideDeviceStatus(current: ActionStatus, reported: DeviceActionStatus): StatusDecision {
  if (finalActionStatuses.includes(current)) return { ignored: `action is already ${current}` };
  const next = fromDevice[reported];
  if (!next) return { ignored: `${reported} does not change an action` };
  if (current === 'scheduled') return { ignored: 'action has not been started' };
  if (next === current) return { ignored: `action is already ${current}` };
  return { change: next };
}
