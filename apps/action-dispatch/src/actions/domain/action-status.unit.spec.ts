import { decideDeviceStatus } from './action-status';

describe('decideDeviceStatus', () => {
  it('moves a running action to the reported status', () => {
    expect(decideDeviceStatus('running', 'DOWNLOAD')).toEqual({ change: 'download' });
    expect(decideDeviceStatus('download', 'FINISHED')).toEqual({ change: 'finished' });
    expect(decideDeviceStatus('running', 'ERROR')).toEqual({ change: 'error' });
  });

  it('keeps final statuses final', () => {
    expect(decideDeviceStatus('finished', 'ERROR')).toEqual({ ignored: 'action is already finished' });
    expect(decideDeviceStatus('error', 'FINISHED')).toEqual({ ignored: 'action is already error' });
    expect(decideDeviceStatus('canceled', 'RUNNING')).toEqual({ ignored: 'action is already canceled' });
  });

  it('ignores duplicates and reports for actions not started', () => {
    expect(decideDeviceStatus('running', 'RUNNING')).toEqual({ ignored: 'action is already running' });
    expect(decideDeviceStatus('scheduled', 'FINISHED')).toEqual({ ignored: 'action has not been started' });
  });
});
