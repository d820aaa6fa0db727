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

export interface CancelDownloadMessage {
  type: 'CANCEL_DOWNLOAD';
  tenant: string;
  controllerId: string;
  actionId: number;
  rolloutId: number;
  groupId: number;
}

export type DeviceOutboundMessage = DownloadAndInstallMessage | CancelDownloadMessage;
