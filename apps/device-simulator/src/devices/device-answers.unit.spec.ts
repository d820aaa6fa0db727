import type { DownloadAndInstallMessage } from '@fleetwave/contracts';
import { answersFor } from './device-answers';
import { deviceIds, DeviceRegistry } from './device-registry';

const install: DownloadAndInstallMessage = {
  type: 'DOWNLOAD_AND_INSTALL',
  tenant: 'DEFAULT',
  controllerId: 'sim-00001',
  actionId: 5,
  rolloutId: 1,
  groupId: 2,
  actionType: 'forced',
  weight: 1000,
  distributionSet: { id: 1, name: 'ds', version: '1' },
  softwareModules: [],
};

describe('device simulator answers', () => {
  it('reports RUNNING then FINISHED for a succeeding device', () => {
    expect(answersFor(install, 'succeed', 9).map((a) => [a.actionId, a.status])).toEqual([
      [5, 'RUNNING'],
      [5, 'FINISHED'],
    ]);
  });

  it('reports ERROR for a failing device and CANCELED for a cancel', () => {
    expect(answersFor(install, 'fail', 9).map((a) => a.status)).toEqual(['RUNNING', 'ERROR']);
    const cancel = {
      type: 'CANCEL_DOWNLOAD' as const,
      tenant: 'DEFAULT',
      controllerId: 'x',
      actionId: 5,
      rolloutId: 1,
      groupId: 2,
    };
    expect(answersFor(cancel, 'succeed', 9).map((a) => a.status)).toEqual(['CANCELED']);
  });

  it('serves only registered devices, named with zero-padded numbers', () => {
    const registry = new DeviceRegistry();
    registry.register(deviceIds('sim', 3), 'succeed');
    expect(deviceIds('sim', 3)).toEqual(['sim-00001', 'sim-00002', 'sim-00003']);
    expect(registry.behaviourOf('sim-00002')).toBe('succeed');
    expect(registry.behaviourOf('other-00001')).toBeUndefined();
  });
});
