import type { ConfirmRequestMessage, DownloadAndInstallMessage } from '@fleetwave/contracts';
import { answersFor, answersForBatch, parseOffer } from './device-answers';
import { deviceIds, deviceRange, DeviceRegistry } from './device-registry';

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

  it('keeps a holding device installing until a cancel, which it confirms', () => {
    expect(answersFor(install, 'hold', 9).map((a) => a.status)).toEqual(['RUNNING']);
    const cancel = {
      type: 'CANCEL_DOWNLOAD' as const,
      tenant: 'DEFAULT',
      controllerId: 'x',
      actionId: 5,
      rolloutId: 1,
      groupId: 2,
    };
    expect(answersFor(cancel, 'hold', 9).map((a) => a.status)).toEqual(['CANCELED']);
  });

  it('lets a reject-cancel device refuse the cancel and then finish', () => {
    expect(answersFor({ ...install, type: 'DOWNLOAD' }, 'reject-cancel', 9).map((a) => a.status)).toEqual(['DOWNLOAD']);
    const cancel = {
      type: 'CANCEL_DOWNLOAD' as const,
      tenant: 'DEFAULT',
      controllerId: 'x',
      actionId: 5,
      rolloutId: 1,
      groupId: 2,
    };
    expect(answersFor(cancel, 'reject-cancel', 9).map((a) => [a.actionId, a.status])).toEqual([
      [5, 'CANCEL_REJECTED'],
      [5, 'FINISHED'],
    ]);
  });

  it('confirms or denies an action waiting for confirmation, as its behaviour says', () => {
    const confirm: ConfirmRequestMessage = { ...install, type: 'CONFIRM' };
    expect(answersFor(confirm, 'confirm', 9)).toEqual([
      {
        type: 'UPDATE_ACTION_STATUS',
        tenant: 'DEFAULT',
        controllerId: 'sim-00001',
        actionId: 5,
        status: 'CONFIRMED',
        messages: ['simulator: user confirmed the update'],
        timestamp: 9,
      },
    ]);
    expect(answersFor(confirm, 'deny', 9).map((a) => [a.actionId, a.status])).toEqual([[5, 'DENIED']]);
    // Devices that do not play the confirmation flow leave the request unanswered.
    for (const behaviour of ['succeed', 'fail', 'hold', 'reject-cancel'] as const)
      expect(answersFor(confirm, behaviour, 9)).toEqual([]);
  });

  it('installs once confirmed, like a succeeding device', () => {
    expect(answersFor(install, 'confirm', 9).map((a) => a.status)).toEqual(['RUNNING', 'FINISHED']);
    expect(answersFor(install, 'deny', 9).map((a) => a.status)).toEqual(['RUNNING', 'FINISHED']);
  });

  it('reads CONFIRM requests off the topic', () => {
    const value = Buffer.from(JSON.stringify({ ...install, type: 'CONFIRM' }));
    expect(parseOffer(value)).toEqual({ ...install, type: 'CONFIRM' });
    const registry = new DeviceRegistry([deviceRange('sim', 1, 1, 'deny')]);
    const reports = answersForBatch([{ key: Buffer.from('sim-00001'), value }], (id) => registry.behaviourOf(id), 9);
    expect(reports.map((r) => [r.controllerId, r.status])).toEqual([['sim-00001', 'DENIED']]);
  });

  it('serves only registered devices, named with zero-padded numbers', () => {
    const registry = new DeviceRegistry();
    registry.add(deviceRange('sim', 3, 1, 'succeed'));
    expect(deviceIds('sim', 3)).toEqual(['sim-00001', 'sim-00002', 'sim-00003']);
    expect(registry.behaviourOf('sim-00002')).toBe('succeed');
    expect(registry.behaviourOf('sim-00004')).toBeUndefined();
    expect(registry.behaviourOf('sim-2')).toBeUndefined();
    expect(registry.behaviourOf('other-00001')).toBeUndefined();
  });

  it('answers a batch in record order, only for its own devices, skipping what does not parse', () => {
    const registry = new DeviceRegistry([deviceRange('ok', 2, 1, 'succeed'), deviceRange('bad', 1, 1, 'fail')]);
    const record = (controllerId: string, actionId: number, value?: string) => ({
      key: Buffer.from(controllerId),
      value: Buffer.from(value ?? JSON.stringify({ ...install, controllerId, actionId })),
    });
    const reports = answersForBatch(
      [
        record('ok-00001', 1),
        record('foreign-00001', 2),
        record('bad-00001', 3),
        record('ok-00002', 4, '{not json'),
        { key: null, value: Buffer.from(JSON.stringify({ ...install, controllerId: 'ok-00002', actionId: 5 })) },
      ],
      (id) => registry.behaviourOf(id),
      9,
    );
    expect(reports.map((r) => [r.controllerId, r.actionId, r.status])).toEqual([
      ['ok-00001', 1, 'RUNNING'],
      ['ok-00001', 1, 'FINISHED'],
      ['bad-00001', 3, 'RUNNING'],
      ['bad-00001', 3, 'ERROR'],
      ['ok-00002', 5, 'RUNNING'],
      ['ok-00002', 5, 'FINISHED'],
    ]);
    expect(parseOffer(Buffer.from(JSON.stringify({ ...install, type: 'REBOOT' })))).toBeUndefined();
  });
});
