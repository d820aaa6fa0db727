import type { ConfirmRequestMessage, DownloadAndInstallMessage } from '@fleetwave/contracts';
import { eventually, uniqueName } from '@fleetwave/testing';
import { FleetKafkaFixture } from '../../testing/fleet-kafka.fixture';
import { inProcessSimulator } from '../../testing/simulator-drivers';
import { deviceIdAt, deviceRange, type DeviceRange } from './device-registry';
import { defaultSimulatorConfig } from './simulator.config';

/**
 * The confirmation flow as a device connector plays it on real (private) topics: CONFIRM is
 * answered CONFIRMED or DENIED by `confirm` and `deny` devices and left alone by the others;
 * the install that follows a confirmation is answered as a succeeding device answers it.
 */
describe('device simulator: confirm and deny (real Kafka, private topics)', () => {
  const fx = new FleetKafkaFixture(3);
  beforeAll(() => fx.setUp());
  afterAll(() => fx.tearDown());

  const offer = (range: DeviceRange, index: number, actionId: number): Omit<DownloadAndInstallMessage, 'type'> => ({
    tenant: 'DEFAULT',
    controllerId: deviceIdAt(range, index),
    actionId,
    rolloutId: 1,
    groupId: 1,
    actionType: 'forced',
    weight: 1000,
    distributionSet: { id: 1, name: 'release', version: '1.0.0' },
    softwareModules: [],
  });

  it('answers CONFIRM by behaviour, then installs the confirmed action', async () => {
    const prefix = uniqueName('confirm');
    const confirming = deviceRange(`${prefix}-yes`, 2, 1, 'confirm');
    const denying = deviceRange(`${prefix}-no`, 1, 1, 'deny');
    const plain = deviceRange(`${prefix}-plain`, 1, 1, 'succeed');
    const simulator = inProcessSimulator({
      ...defaultSimulatorConfig,
      inboundTopic: fx.inbound,
      outboundTopic: fx.outbound,
      groupId: uniqueName('sim_confirm'),
      stateFile: undefined,
    });
    await simulator.start();
    try {
      for (const range of [confirming, denying, plain]) await simulator.register(range);
      const confirm = (range: DeviceRange, index: number, actionId: number) => {
        const value: ConfirmRequestMessage = { ...offer(range, index, actionId), type: 'CONFIRM' };
        return { key: value.controllerId, value };
      };
      await fx.publisher.send(fx.outbound, [
        confirm(confirming, 0, 1),
        confirm(confirming, 1, 2),
        confirm(denying, 0, 3),
        confirm(plain, 0, 4),
      ]);
      // The system's answer to a confirmation: the instruction, for the confirmed actions only.
      const install = (range: DeviceRange, index: number, actionId: number) => {
        const value: DownloadAndInstallMessage = { ...offer(range, index, actionId), type: 'DOWNLOAD_AND_INSTALL' };
        return { key: value.controllerId, value };
      };
      await fx.publisher.send(fx.outbound, [install(confirming, 0, 1), install(confirming, 1, 2)]);

      // 4 THING_CREATED, 3 answers to CONFIRM, 2 × (RUNNING, FINISHED).
      const expected = 4 + 3 + 4;
      await eventually(async () => expect(await fx.count(fx.inbound)).toBeGreaterThanOrEqual(expected), {
        timeoutMs: 60_000,
        description: 'answers on the inbound topic',
      });
      const reports: string[] = [];
      await fx.readAll(fx.inbound, expected, (message) => {
        const value = JSON.parse(message.value?.toString() ?? '{}');
        if (value.type === 'UPDATE_ACTION_STATUS')
          reports.push(`${value.controllerId}:${value.actionId}:${value.status}`);
      });
      const yes = (i: number) => deviceIdAt(confirming, i);
      expect(reports.sort()).toEqual(
        [
          `${yes(0)}:1:CONFIRMED`,
          `${yes(0)}:1:RUNNING`,
          `${yes(0)}:1:FINISHED`,
          `${yes(1)}:2:CONFIRMED`,
          `${yes(1)}:2:RUNNING`,
          `${yes(1)}:2:FINISHED`,
          `${deviceIdAt(denying, 0)}:3:DENIED`,
        ].sort(),
      );
      expect(await fx.count(fx.inbound)).toBe(expected);
    } finally {
      await simulator.stop();
    }
  });
});
