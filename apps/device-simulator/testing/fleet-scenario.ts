import type { DownloadAndInstallMessage } from '@fleetwave/contracts';
import type { OutgoingMessage } from '@fleetwave/messaging';
import { eventually, uniqueName } from '@fleetwave/testing';
import { join } from 'node:path';
import { deviceIdAt, deviceRange, type DeviceRange } from '../src/devices/device-registry';
import { defaultSimulatorConfig, type SimulatorConfig } from '../src/devices/simulator.config';
import type { FleetKafkaFixture } from './fleet-kafka.fixture';
import type { SimulatorDriverFactory } from './simulator-drivers';

/** What a fleet run measured and what it found on the inbound topic afterwards. */
export interface FleetRun {
  figures: Record<string, number>;
  /** Records read back from the inbound topic, and how many there should be. */
  read: number;
  expectedRecords: number;
  /** Devices that announced themselves with THING_CREATED. */
  created: Set<string>;
  /** Devices that do not have exactly the reports their behaviour calls for (first few). */
  wrong: string[];
  /** Reports for devices the simulator does not serve (first few). */
  strangers: string[];
  /** Devices whose records are not all on one partition, so their order is not kept (first few). */
  split: string[];
}

/**
 * A simulator on private topics registers `devices` devices (30% failing), is stopped, and a
 * fresh one, knowing its devices only from the file the first left, answers one
 * DOWNLOAD_AND_INSTALL per device plus offers to devices it does not serve. Wall-clock rates
 * and rates per CPU second of the simulator are recorded; on a machine shared with other work
 * the CPU figure says more about the simulator than the wall clock does.
 */
export async function runFleetScenario(
  fx: FleetKafkaFixture,
  devices: number,
  dir: string,
  simulator: SimulatorDriverFactory,
): Promise<FleetRun> {
  const prefix = uniqueName('fleet');
  const failing = Math.floor(devices * 0.3);
  const ok = deviceRange(`${prefix}-ok`, devices - failing, 1, 'succeed');
  const bad = deviceRange(`${prefix}-bad`, failing, 1, 'fail');
  const stranger = deviceRange(`${prefix}-foreign`, Math.max(1, Math.floor(devices / 100)), 1, 'succeed');
  const config: SimulatorConfig = {
    ...defaultSimulatorConfig,
    inboundTopic: fx.inbound,
    outboundTopic: fx.outbound,
    groupId: uniqueName('sim_group'),
    stateFile: join(dir, 'devices.json'),
  };
  const figures: Record<string, number> = { devices };
  const expectedRecords = 3 * devices;

  // The group starts at the beginning, so offers published while no simulator runs are answered.
  await fx.rewind(config.groupId, fx.outbound);
  const first = simulator(config);
  try {
    await first.start();
    figures.peakRssMbBeforeRegistration = first.peakRssMb();
    const cpu = first.cpuSeconds();
    const at = Date.now();
    await first.register(ok);
    await first.register(bad);
    figures.registrationMs = Date.now() - at;
    figures.registrationsPerSecond = Math.round(devices / (figures.registrationMs / 1000));
    figures.registrationsPerCpuSecond = Math.round(devices / (first.cpuSeconds() - cpu));
    figures.peakRssMbAfterRegistration = first.peakRssMb();
  } finally {
    await first.stop();
  }

  // The offers wait on the topic until the restarted simulator joins its group.
  const offers = [...offersTo(ok, 0), ...offersTo(bad, ok.count), ...offersTo(stranger, devices)];
  for (let i = 0; i < offers.length; i += 5_000) await fx.publisher.send(fx.outbound, offers.slice(i, i + 5_000));
  offers.length = 0;

  const restarted = simulator(config);
  try {
    const at = Date.now();
    await restarted.start();
    let firstAnswerAt = 0;
    let cpu = 0;
    await eventually(
      async () => {
        const records = await fx.count(fx.inbound);
        if (!firstAnswerAt && records > devices) {
          firstAnswerAt = Date.now();
          cpu = restarted.cpuSeconds();
        }
        if (records < expectedRecords) throw new Error(`${records} of ${expectedRecords} records`);
      },
      { timeoutMs: 600_000, intervalMs: 50, description: 'all offers answered' },
    );
    const doneAt = Date.now();
    figures.restartToAllAnsweredMs = doneAt - at;
    figures.answerMs = doneAt - firstAnswerAt;
    figures.offersAnsweredPerSecond = Math.round(devices / (figures.answerMs / 1000));
    figures.reportsPerSecond = Math.round((2 * devices) / (figures.answerMs / 1000));
    figures.offersAnsweredPerCpuSecond = Math.round(devices / (restarted.cpuSeconds() - cpu));
    figures.peakRssMbAfterAnswers = restarted.peakRssMb();
  } finally {
    await restarted.stop();
  }

  const created = new Set<string>();
  const reports = new Map<string, string>();
  const partitionOf = new Map<string, number>();
  const split = new Set<string>();
  const read = await fx.readAll(fx.inbound, expectedRecords, (message, partition) => {
    const value = JSON.parse(message.value?.toString() ?? '{}');
    if ((partitionOf.get(value.controllerId) ?? partition) !== partition) split.add(value.controllerId);
    partitionOf.set(value.controllerId, partition);
    if (value.type === 'THING_CREATED') created.add(value.controllerId);
    else {
      const seen = reports.get(value.controllerId);
      reports.set(value.controllerId, `${seen ? `${seen},` : ''}${value.actionId}:${value.status}`);
    }
  });
  const wrong = [...expectedAnswers(ok, 0, 'FINISHED'), ...expectedAnswers(bad, ok.count, 'ERROR')]
    .filter(([id, answers]) => reports.get(id) !== answers)
    .map(([id]) => `${id}: ${reports.get(id) ?? 'no reports'}`);
  const strangers = [...reports.keys()].filter((id) => id.startsWith(stranger.prefix));
  return {
    figures,
    read,
    expectedRecords,
    created,
    wrong: wrong.slice(0, 5),
    strangers: strangers.slice(0, 5),
    split: [...split].slice(0, 5),
  };
}

const artifact = {
  filename: 'firmware-1.0.0.bin',
  size: 4_194_304,
  hashes: { sha1: 'a'.repeat(40), md5: 'b'.repeat(32), sha256: 'c'.repeat(64) },
  downloadUrl: 'http://127.0.0.1:8080/artifacts/1/firmware-1.0.0.bin',
};

/** One DOWNLOAD_AND_INSTALL per device of the range; action ids continue from `firstAction`. */
function offersTo(range: DeviceRange, firstAction: number): OutgoingMessage[] {
  return Array.from({ length: range.count }, (_, i) => {
    const controllerId = deviceIdAt(range, i);
    const value: DownloadAndInstallMessage = {
      type: 'DOWNLOAD_AND_INSTALL',
      tenant: 'DEFAULT',
      controllerId,
      actionId: firstAction + i + 1,
      rolloutId: 1,
      groupId: 1 + (i % 10),
      actionType: 'forced',
      weight: 1000,
      distributionSet: { id: 1, name: 'release', version: '1.0.0' },
      softwareModules: [{ id: 1, type: 'os', name: 'firmware', version: '1.0.0', artifacts: [artifact] }],
    };
    return { key: controllerId, value };
  });
}

function expectedAnswers(range: DeviceRange, firstAction: number, outcome: string): [string, string][] {
  return Array.from({ length: range.count }, (_, i) => {
    const action = firstAction + i + 1;
    return [deviceIdAt(range, i), `${action}:RUNNING,${action}:${outcome}`];
  });
}
