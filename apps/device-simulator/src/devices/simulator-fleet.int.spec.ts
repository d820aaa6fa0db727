import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FleetKafkaFixture } from '../../testing/fleet-kafka.fixture';
import { runFleetScenario } from '../../testing/fleet-scenario';
import { inProcessSimulator } from '../../testing/simulator-drivers';
import { DeviceRangeStore } from './device-range.store';
import { deviceRange } from './device-registry';

// Kept small for the test tier; `apps/device-simulator/bench/fleet.bench.ts` runs 100,000 and
// prints the rates. SIMULATOR_FLEET_DEVICES sets the size here too.
const devices = Number(process.env.SIMULATOR_FLEET_DEVICES ?? 10_000);

describe('device simulator at fleet size (real Kafka, private topics)', () => {
  const fx = new FleetKafkaFixture();
  const dir = mkdtempSync(join(tmpdir(), 'device-simulator-'));

  beforeAll(() => fx.setUp());
  afterAll(async () => {
    await fx.tearDown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers the fleet, and after a restart answers every offer to its devices exactly as they behave', async () => {
    const run = await runFleetScenario(fx, devices, dir, inProcessSimulator);

    expect(run.read).toBe(run.expectedRecords);
    expect(run.created.size).toBe(devices);
    expect(run.wrong).toEqual([]);
    expect(run.strangers).toEqual([]);
    expect(run.split).toEqual([]);
  }, 600_000);

  it('keeps the device file across restarts and starts empty from a damaged one', () => {
    const path = join(dir, 'nested', 'ranges.json');
    const ranges = [deviceRange('a', 3, 1, 'succeed'), deviceRange('b-x', 200_000, 7, 'fail')];
    new DeviceRangeStore(path).save(ranges);
    expect(new DeviceRangeStore(path).load()).toEqual(ranges);
    writeFileSync(path, '{"ranges": [{"prefix": "a"');
    expect(new DeviceRangeStore(path).load()).toEqual([]);
    expect(new DeviceRangeStore(undefined).load()).toEqual([]);
  });
});
