import type { ActionStatus, ActionType, DownloadAndInstallMessage } from '@fleetwave/contracts';
import { decide, evolve, type ActionCommand, type ActionDecision, type ActionState } from './action.decider';

const AT = 1_700_000_000_000;

const action = (status: ActionStatus): ActionState => ({
  actionId: 11,
  rolloutId: 3,
  groupId: 5,
  targetId: 7,
  controllerId: 'dev-7',
  status,
});

const given = (status: ActionStatus) => ({
  when: (command: ActionCommand) => ({
    then: (expected: ActionDecision) => expect(decide(command, action(status))).toEqual(expected),
  }),
});

type Report = Extract<ActionCommand, { type: 'ReportDeviceStatus' }>;
const report = (status: Report['status'], actionType: ActionType = 'forced'): Report => ({
  type: 'ReportDeviceStatus',
  status,
  actionType,
  at: AT,
});
const cancel = (mode: 'soft' | 'force'): ActionCommand => ({ type: 'Cancel', mode, tenant: 'DEFAULT', at: AT });

const changed = (from: ActionStatus, to: ActionStatus) => ({
  type: 'ActionStatusChanged.v1' as const,
  data: { actionId: 11, rolloutId: 3, groupId: 5, targetId: 7, controllerId: 'dev-7', from, to, at: AT },
});
const cancelDownload = {
  type: 'DeviceMessageRequested.v1' as const,
  data: {
    type: 'CANCEL_DOWNLOAD' as const,
    tenant: 'DEFAULT',
    controllerId: 'dev-7',
    actionId: 11,
    rolloutId: 3,
    groupId: 5,
  },
};

const instruction: DownloadAndInstallMessage = {
  type: 'DOWNLOAD_AND_INSTALL',
  tenant: 'DEFAULT',
  controllerId: 'dev-7',
  actionId: 11,
  rolloutId: 3,
  groupId: 5,
  actionType: 'timeforced',
  forceTime: AT + 60_000,
  weight: 1000,
  distributionSet: { id: 1, name: 'fw', version: '1' },
  softwareModules: [],
};
const instructed = { type: 'DeviceMessageRequested.v1' as const, data: instruction };

describe('action decider: device reports', () => {
  it('moves an active action to the reported status', () => {
    given('running')
      .when(report('DOWNLOAD'))
      .then({ events: [changed('running', 'download')] });
    given('download')
      .when(report('FINISHED'))
      .then({ events: [changed('download', 'finished')] });
    given('running')
      .when(report('ERROR'))
      .then({ events: [changed('running', 'error')] });
  });

  it('accepts CANCELED only from canceling', () => {
    given('canceling')
      .when(report('CANCELED'))
      .then({ events: [changed('canceling', 'canceled')] });
    given('running').when(report('CANCELED')).then({ ignored: 'action was not asked to cancel' });
    given('download').when(report('CANCELED')).then({ ignored: 'action was not asked to cancel' });
  });

  it('turns a rejected cancel back to running, and ignores a rejection nobody asked for', () => {
    given('canceling')
      .when(report('CANCEL_REJECTED'))
      .then({ events: [changed('canceling', 'running')] });
    given('running').when(report('CANCEL_REJECTED')).then({ ignored: 'action was not asked to cancel' });
  });

  it('accepts the end of an action that is canceling, but not its progress', () => {
    given('canceling')
      .when(report('FINISHED'))
      .then({ events: [changed('canceling', 'finished')] });
    given('canceling')
      .when(report('ERROR'))
      .then({ events: [changed('canceling', 'error')] });
    given('canceling').when(report('DOWNLOAD')).then({ ignored: 'action is canceling, download does not change it' });
  });

  it('keeps final statuses final', () => {
    given('finished').when(report('ERROR')).then({ ignored: 'action is already finished' });
    given('error').when(report('FINISHED')).then({ ignored: 'action is already error' });
    given('canceled').when(report('RUNNING')).then({ ignored: 'action is already canceled' });
    given('canceled').when(report('CANCEL_REJECTED')).then({ ignored: 'action is already canceled' });
  });

  it('changes nothing on a repeat, a report for an action not started, or a status without meaning here', () => {
    given('running').when(report('RUNNING')).then({ ignored: 'action is already running' });
    given('scheduled').when(report('FINISHED')).then({ ignored: 'action has not been started' });
    given('running').when(report('DENIED')).then({ ignored: 'action is not waiting for confirmation' });
    given('download').when(report('CONFIRMED')).then({ ignored: 'action is not waiting for confirmation' });
  });
});

describe('action decider: DOWNLOADED by action type', () => {
  const installing: ActionType[] = ['forced', 'soft', 'timeforced'];

  it('closes a download-only action as finished once its device has downloaded', () => {
    for (const status of ['running', 'download', 'retrieved', 'warning', 'cancel_rejected'] as ActionStatus[]) {
      given(status)
        .when(report('DOWNLOADED', 'downloadonly'))
        .then({ events: [changed(status, 'finished')] });
    }
  });

  it('keeps DOWNLOADED a step on the way for an action that still installs', () => {
    for (const actionType of installing) {
      given('download')
        .when(report('DOWNLOADED', actionType))
        .then({ events: [changed('download', 'downloaded')] });
      given('downloaded').when(report('DOWNLOADED', actionType)).then({ ignored: 'action is already downloaded' });
      given('canceling')
        .when(report('DOWNLOADED', actionType))
        .then({ ignored: 'action is canceling, downloaded does not change it' });
    }
  });

  it('accepts a download-only action ending by DOWNLOADED while it is canceling', () => {
    given('canceling')
      .when(report('DOWNLOADED', 'downloadonly'))
      .then({ events: [changed('canceling', 'finished')] });
  });

  it('closes a download-only action left downloaded by an earlier report when DOWNLOADED comes again', () => {
    given('downloaded')
      .when(report('DOWNLOADED', 'downloadonly'))
      .then({ events: [changed('downloaded', 'finished')] });
  });

  it('leaves final, unstarted and unconfirmed download-only actions as they are', () => {
    given('finished').when(report('DOWNLOADED', 'downloadonly')).then({ ignored: 'action is already finished' });
    given('canceled').when(report('DOWNLOADED', 'downloadonly')).then({ ignored: 'action is already canceled' });
    given('scheduled').when(report('DOWNLOADED', 'downloadonly')).then({ ignored: 'action has not been started' });
    given('wait_for_confirmation')
      .when(report('DOWNLOADED', 'downloadonly'))
      .then({ ignored: 'action waits for confirmation, DOWNLOADED does not change it' });
  });

  it('reads the other reports alike for every action type', () => {
    for (const actionType of [...installing, 'downloadonly'] as ActionType[]) {
      given('running')
        .when(report('FINISHED', actionType))
        .then({ events: [changed('running', 'finished')] });
      given('running')
        .when(report('ERROR', actionType))
        .then({ events: [changed('running', 'error')] });
    }
  });
});

describe('action decider: activation', () => {
  const activate: ActionCommand = { type: 'Activate', instruction, at: AT };

  it('starts a scheduled action and instructs its device', () => {
    given('scheduled')
      .when(activate)
      .then({ events: [changed('scheduled', 'running'), instructed] });
  });

  it('never activates an action twice, nor one that has ended', () => {
    given('running').when(activate).then({ ignored: 'action is already running' });
    given('canceled').when(activate).then({ ignored: 'action is already canceled' });
    given('wait_for_confirmation').when(activate).then({ ignored: 'action is already wait_for_confirmation' });
  });

  it('finishes an action at once, unsent, when its target has the set assigned already', () => {
    given('scheduled')
      .when({ ...activate, alreadyAssigned: true })
      .then({ events: [changed('scheduled', 'finished')] });
    given('scheduled')
      .when({ ...activate, alreadyAssigned: true, confirmationRequired: true })
      .then({ events: [changed('scheduled', 'finished')] });
  });

  it('cancels an action, unsent, whose target a newer rollout has reached', () => {
    given('scheduled')
      .when({ ...activate, supersededByNewer: true, alreadyAssigned: true })
      .then({ events: [changed('scheduled', 'canceled')] });
  });

  it('makes an action wait for confirmation, asking the device, when its group asks for it', () => {
    given('scheduled')
      .when({ ...activate, confirmationRequired: true })
      .then({
        events: [
          changed('scheduled', 'wait_for_confirmation'),
          { type: 'DeviceMessageRequested.v1', data: { ...instruction, type: 'CONFIRM' } },
        ],
      });
  });
});

describe('action decider: confirmation', () => {
  const confirmed: ActionCommand = { ...report('CONFIRMED'), instruction };

  it('starts a confirmed action and sends its instruction only now', () => {
    given('wait_for_confirmation')
      .when(confirmed)
      .then({ events: [changed('wait_for_confirmation', 'running'), instructed] });
  });

  it('keeps a denied action waiting, and a confirmed one from being instructed twice', () => {
    given('wait_for_confirmation')
      .when(report('DENIED'))
      .then({ ignored: 'confirmation denied, action keeps waiting for confirmation' });
    given('running').when(confirmed).then({ ignored: 'action is not waiting for confirmation' });
  });

  it('takes no progress from a device that has not confirmed', () => {
    given('wait_for_confirmation')
      .when(report('RUNNING'))
      .then({ ignored: 'action waits for confirmation, RUNNING does not change it' });
    given('wait_for_confirmation')
      .when(report('FINISHED'))
      .then({ ignored: 'action waits for confirmation, FINISHED does not change it' });
  });

  it('is cancelled like any active action', () => {
    given('wait_for_confirmation')
      .when(cancel('soft'))
      .then({ events: [changed('wait_for_confirmation', 'canceling'), cancelDownload] });
  });
});

describe('action decider: soft cancel (stop)', () => {
  it('cancels a scheduled action at once, with nothing to tell its device', () => {
    given('scheduled')
      .when(cancel('soft'))
      .then({ events: [changed('scheduled', 'canceled')] });
  });

  it('asks the device of every active action to cancel', () => {
    const active: ActionStatus[] = [
      'running',
      'download',
      'retrieved',
      'downloaded',
      'warning',
      'wait_for_confirmation',
      'cancel_rejected',
    ];
    for (const status of active) {
      given(status)
        .when(cancel('soft'))
        .then({ events: [changed(status, 'canceling'), cancelDownload] });
    }
  });

  it('leaves canceling and final actions as they are', () => {
    given('canceling').when(cancel('soft')).then({ ignored: 'action is already canceling' });
    given('finished').when(cancel('soft')).then({ ignored: 'action is already finished' });
    given('canceled').when(cancel('soft')).then({ ignored: 'action is already canceled' });
  });
});

describe('action decider: force cancel (delete)', () => {
  it('cancels scheduled and active actions at once, telling the devices of the active ones', () => {
    given('scheduled')
      .when(cancel('force'))
      .then({ events: [changed('scheduled', 'canceled')] });
    given('running')
      .when(cancel('force'))
      .then({ events: [changed('running', 'canceled'), cancelDownload] });
    given('downloaded')
      .when(cancel('force'))
      .then({ events: [changed('downloaded', 'canceled'), cancelDownload] });
  });

  it('ends a canceling action without a second cancel message, and leaves final ones', () => {
    given('canceling')
      .when(cancel('force'))
      .then({ events: [changed('canceling', 'canceled')] });
    given('error').when(cancel('force')).then({ ignored: 'action is already error' });
  });
});

describe('action decider: evolve', () => {
  it('takes the status of a change and ignores instructions', () => {
    const decision = decide(cancel('soft'), action('running'));
    if ('ignored' in decision) throw new Error(decision.ignored);
    expect(decision.events.reduce(evolve, action('running'))).toEqual(action('canceling'));
  });
});
