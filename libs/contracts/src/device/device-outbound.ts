import type { ActionType, DistributionSetRef, SoftwareModuleRef } from '../events/rollout-events';

/** Messages on `device.outbound.v1` (system → device connectors). Key: controllerId. */
export interface DownloadAndInstallMessage {
  type: 'DOWNLOAD_AND_INSTALL' | 'DOWNLOAD';
  tenant: string;
  controllerId: string;
  actionId: number;
  rolloutId: number;
  groupId: number;
  actionType: ActionType;
  forceTime?: number;
  weight: number;
  distributionSet: Omit<DistributionSetRef, 'modules'>;
  softwareModules: SoftwareModuleRef[];
}

/**
 * Sent instead of the instruction when the action's group requires confirmation (and the tenant's
 * confirmation flow is on): the device answers CONFIRMED, and then gets its DOWNLOAD_AND_INSTALL
 * (or DOWNLOAD), or DENIED, and the action keeps waiting. It carries what the instruction will
 * carry, so the device can tell its user what is asked (as hawkBit's DMF CONFIRM does).
 */
export interface ConfirmRequestMessage extends Omit<DownloadAndInstallMessage, 'type'> {
  type: 'CONFIRM';
}

export interface CancelDownloadMessage {
  type: 'CANCEL_DOWNLOAD';
  tenant: string;
  controllerId: string;
  actionId: number;
  rolloutId: number;
  groupId: number;
}

export type DeviceOutboundMessage = DownloadAndInstallMessage | ConfirmRequestMessage | CancelDownloadMessage;
