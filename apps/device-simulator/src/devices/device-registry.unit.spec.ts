import { deviceIdAt, deviceRange, DeviceRegistry } from './device-registry';
import { readSimulatorConfig } from './simulator.config';

describe('device registry', () => {
  it('widens the number past 99,999 devices and serves exactly the range', () => {
    const range = deviceRange('fleet', 100_000, 1, 'succeed');
    expect([deviceIdAt(range, 0), deviceIdAt(range, 99_999)]).toEqual(['fleet-000001', 'fleet-100000']);
    const registry = new DeviceRegistry([range]);
    expect(registry.behaviourOf('fleet-000001')).toBe('succeed');
    expect(registry.behaviourOf('fleet-100000')).toBe('succeed');
    expect(registry.behaviourOf('fleet-100001')).toBeUndefined();
    expect(registry.behaviourOf('fleet-000000')).toBeUndefined();
    expect(registry.size).toBe(100_000);
  });

  it('lets the latest registration of a device decide its behaviour', () => {
    const registry = new DeviceRegistry([deviceRange('x', 10, 1, 'succeed')]);
    registry.add(deviceRange('x', 2, 5, 'fail'));
    expect(['x-00004', 'x-00005', 'x-00006', 'x-00007'].map((id) => registry.behaviourOf(id))).toEqual([
      'succeed',
      'fail',
      'fail',
      'succeed',
    ]);
    // The same ids registered again replace the earlier record instead of piling up.
    registry.add(deviceRange('x', 10, 1, 'fail'));
    expect(registry.ranges()).toHaveLength(2);
    expect(registry.behaviourOf('x-00004')).toBe('fail');
  });

  it('handles prefixes that contain dashes', () => {
    const registry = new DeviceRegistry([deviceRange('a-1', 3, 1, 'fail')]);
    expect(registry.behaviourOf('a-1-00002')).toBe('fail');
    expect(registry.behaviourOf('a-00001')).toBeUndefined();
  });

  it('keeps its device file in the local directory unless told otherwise', () => {
    expect(readSimulatorConfig({ FLEETWAVE_LOCAL_DIR: '/tmp/fw' }).stateFile).toBe(
      '/tmp/fw/device-simulator/devices.json',
    );
    expect(readSimulatorConfig({ DEVICE_SIMULATOR_STATE_FILE: '/x/d.json' }).stateFile).toBe('/x/d.json');
    expect(readSimulatorConfig({ DEVICE_SIMULATOR_STATE_FILE: 'none' }).stateFile).toBeUndefined();
    expect(() => readSimulatorConfig({ DEVICE_SIMULATOR_CONCURRENCY: '0' })).toThrow(/DEVICE_SIMULATOR_CONCURRENCY/);
  });
});
