import type {
  ActionStatus,
  ActionStatusChangedV1,
  ActionType,
  CancelDownloadMessage,
  ConfirmRequestMessage,
  DeviceActionStatus,
  DeviceOutboundMessage,
  DownloadAndInstallMessage,
} from '@fleetwave/contracts';
import { finalActionStatuses } from '@fleetwave/contracts';

/** What the rules need to know of an action: who it is and where it stands. */
export interface ActionState {
  actionId: number;
  rolloutId: number;
  groupId: number;
  targetId: number;
  controllerId: string;
  status: ActionStatus;
}

/** How an ending rollout cancels: stop asks the device (soft), delete cancels at once (force). */
export type CancelMode = 'soft' | 'force';

/**
 * What is known of the action's target when its group starts: a newer rollout already has an
 * action on it, the target has this distribution set assigned already, or the group asks the
 * device to confirm first. Absent facts are false.
 */
export interface ActivationContext {
  supersededByNewer?: boolean;
  alreadyAssigned?: boolean;
  confirmationRequired?: boolean;
}

export type ActionCommand =
  /**
   * A device's report on an action of a rollout of `actionType`; `instruction` is what a
   * CONFIRMED action is sent (its group's delivery).
   */
  | {
      type: 'ReportDeviceStatus';
      status: DeviceActionStatus;
      actionType: ActionType;
      at: number;
      instruction?: DownloadAndInstallMessage;
    }
  | ({ type: 'Activate'; instruction: DownloadAndInstallMessage; at: number } & ActivationContext)
  | { type: 'Cancel'; mode: CancelMode; tenant: string; at: number };

export type ActionEvent =
  | { type: 'ActionStatusChanged.v1'; data: ActionStatusChangedV1 }
  | { type: 'DeviceMessageRequested.v1'; data: DeviceOutboundMessage };

export type ActionDecision = { events: ActionEvent[] } | { ignored: string };

/** Statuses in which the device works on the action (it has been instructed and not let go). */
export const activeActionStatuses: readonly ActionStatus[] = [
  'running',
  'download',
  'retrieved',
  'downloaded',
  'warning',
  'wait_for_confirmation',
  'cancel_rejected',
];

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
  CONFIRMED: undefined,
  DENIED: undefined,
};

const isFinal = (status: ActionStatus): boolean => finalActionStatuses.includes(status);

/**
 * The action status a report leads to. A download-only action has nothing left to do once its
 * device has the software, so DOWNLOADED closes it as finished (final, as hawkBit closes it);
 * for the other action types DOWNLOADED is a step on the way to the installation.
 */
function statusFromDevice(reported: DeviceActionStatus, actionType: ActionType): ActionStatus | undefined {
  if (reported === 'DOWNLOADED' && actionType === 'downloadonly') return 'finished';
  return fromDevice[reported];
}

/** The rules of one action: what a command does to it, as whole events, or why it does nothing. */
export function decide(command: ActionCommand, state: ActionState): ActionDecision {
  switch (command.type) {
    case 'ReportDeviceStatus':
      return decideReport(command, state);
    case 'Activate':
      return decideActivate(command, state);
    case 'Cancel':
      return decideCancel(command, state);
  }
}

/** The state after an event: only status changes move an action. */
export function evolve(state: ActionState, event: ActionEvent): ActionState {
  return event.type === 'ActionStatusChanged.v1' ? { ...state, status: event.data.to } : state;
}

/**
 * A group starts on the action's target. A newer rollout owns the target: this one is cancelled
 * unsent. The set is already there: nothing to install, finished at once. A group asking for
 * confirmation asks the device (CONFIRM) and waits for its answer before the instruction is
 * sent; otherwise it runs.
 */
function decideActivate(command: Extract<ActionCommand, { type: 'Activate' }>, state: ActionState): ActionDecision {
  if (state.status !== 'scheduled') return { ignored: `action is already ${state.status}` };
  if (command.supersededByNewer) return { events: [changed(state, 'canceled', command.at)] };
  if (command.alreadyAssigned) return { events: [changed(state, 'finished', command.at)] };
  if (command.confirmationRequired) {
    return {
      events: [
        changed(state, 'wait_for_confirmation', command.at),
        { type: 'DeviceMessageRequested.v1', data: confirmRequest(command.instruction) },
      ],
    };
  }
  return {
    events: [changed(state, 'running', command.at), { type: 'DeviceMessageRequested.v1', data: command.instruction }],
  };
}

function decideReport(
  { status: reported, actionType, at, instruction }: Extract<ActionCommand, { type: 'ReportDeviceStatus' }>,
  state: ActionState,
): ActionDecision {
  const current = state.status;
  if (isFinal(current)) return { ignored: `action is already ${current}` };
  if (current === 'scheduled') return { ignored: 'action has not been started' };
  if (current === 'wait_for_confirmation') return decideConfirmation(reported, state, at, instruction);
  if (reported === 'CONFIRMED' || reported === 'DENIED') return { ignored: 'action is not waiting for confirmation' };
  const next = statusFromDevice(reported, actionType);
  if (!next) return { ignored: `${reported} does not change an action` };
  if (current === 'canceling') return decideWhileCanceling(next, state, at);
  if (next === 'canceled' || next === 'cancel_rejected') return { ignored: 'action was not asked to cancel' };
  if (next === current) return { ignored: `action is already ${current}` };
  return { events: [changed(state, next, at)] };
}

/**
 * An action waiting for confirmation: CONFIRMED starts it (running, and its instruction is sent
 * now); DENIED leaves it waiting (the device may still confirm later); the device has nothing
 * to report on an action it has not accepted.
 */
function decideConfirmation(
  reported: DeviceActionStatus,
  state: ActionState,
  at: number,
  instruction?: DownloadAndInstallMessage,
): ActionDecision {
  if (reported === 'DENIED') return { ignored: 'confirmation denied, action keeps waiting for confirmation' };
  if (reported !== 'CONFIRMED') return { ignored: `action waits for confirmation, ${reported} does not change it` };
  if (!instruction) return { ignored: 'no instruction known for the confirmed action' };
  return { events: [changed(state, 'running', at), { type: 'DeviceMessageRequested.v1', data: instruction }] };
}

/**
 * A canceling action waits for the device's answer: canceled, rejected (it keeps working on it,
 * so it is running again) or the action's own end; progress reports leave it canceling.
 */
function decideWhileCanceling(next: ActionStatus, state: ActionState, at: number): ActionDecision {
  if (next === 'cancel_rejected') return { events: [changed(state, 'running', at)] };
  if (isFinal(next)) return { events: [changed(state, next, at)] };
  return { ignored: `action is canceling, ${next} does not change it` };
}

function decideCancel(command: Extract<ActionCommand, { type: 'Cancel' }>, state: ActionState): ActionDecision {
  const { status } = state;
  if (isFinal(status)) return { ignored: `action is already ${status}` };
  // Never instructed: nothing to tell the device.
  if (status === 'scheduled') return { events: [changed(state, 'canceled', command.at)] };
  // Already told to cancel: a soft cancel waits for the device, a force cancel ends it without a second message.
  if (status === 'canceling') {
    return command.mode === 'force'
      ? { events: [changed(state, 'canceled', command.at)] }
      : { ignored: 'action is already canceling' };
  }
  return {
    events: [
      changed(state, command.mode === 'force' ? 'canceled' : 'canceling', command.at),
      { type: 'DeviceMessageRequested.v1', data: cancelDownload(state, command.tenant) },
    ],
  };
}

function changed(state: ActionState, to: ActionStatus, at: number): ActionEvent {
  const { actionId, rolloutId, groupId, targetId, controllerId, status } = state;
  return {
    type: 'ActionStatusChanged.v1',
    data: { actionId, rolloutId, groupId, targetId, controllerId, from: status, to, at },
  };
}

/** The CONFIRM request: what the instruction will carry, so the device knows what it confirms. */
function confirmRequest({ type: _instruction, ...offer }: DownloadAndInstallMessage): ConfirmRequestMessage {
  return { type: 'CONFIRM', ...offer };
}

function cancelDownload(state: ActionState, tenant: string): CancelDownloadMessage {
  const { actionId, rolloutId, groupId, controllerId } = state;
  return { type: 'CANCEL_DOWNLOAD', tenant, controllerId, actionId, rolloutId, groupId };
}
