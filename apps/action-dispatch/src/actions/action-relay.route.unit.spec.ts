import { Topics } from '@fleetwave/contracts';
import { actionRelayRoute } from './action-relay.route';

describe('actionRelayRoute', () => {
  it('sends a CANCEL_DOWNLOAD, like a download, to the device topic keyed by the device', () => {
    const cancel = {
      type: 'CANCEL_DOWNLOAD',
      tenant: 'DEFAULT',
      controllerId: 'dev-1',
      actionId: 4,
      rolloutId: 2,
      groupId: 3,
    };
    expect(actionRelayRoute({ type: 'DeviceMessageRequested.v1', data: cancel })).toEqual({
      topic: Topics.deviceOutbound,
      key: 'dev-1',
      value: cancel,
    });
    const download = { ...cancel, type: 'DOWNLOAD_AND_INSTALL', controllerId: 'dev-2' };
    expect(actionRelayRoute({ type: 'DeviceMessageRequested.v1', data: download })).toEqual({
      topic: Topics.deviceOutbound,
      key: 'dev-2',
      value: download,
    });
  });

  it('sends a settlement and status changes to action.events.v1 keyed by the rollout, in batches', () => {
    const settled = { rolloutId: 42, reason: 'STOPPED', settledAt: 1 };
    expect(actionRelayRoute({ type: 'RolloutActionsSettled.v1', data: settled })).toEqual({
      topic: Topics.actionEvents,
      key: '42',
      batch: true,
    });
    expect(actionRelayRoute({ type: 'ActionStatusChanged.v1', data: { rolloutId: 43, actionId: 1 } })).toEqual({
      topic: Topics.actionEvents,
      key: '43',
      batch: true,
    });
  });
});
