import type { Producer } from 'kafkajs';
import { Topics } from '@fleetwave/contracts';
import { eventually, thingCreated, uniqueName, type RawDeviceMessage } from '@fleetwave/testing';
import { DeviceTopics, instructionProblems } from './testing/device-topics';
import { DoublingConnector } from './testing/doubling-connector';
import { admin, createReadyRollout, groupStatuses, untilStatus } from './testing/rollout-steps';

/**
 * Every device message sent twice changes nothing: registrations, attribute updates and every
 * status report of a whole rollout arrive twice in a row, and once the rollout has finished,
 * everything once more. The targets, the rollout's and groups' counts, the targets' update
 * status and the instructions stay exactly what one copy of each message gives.
 */
const topics = new DeviceTopics();
let producer: Producer;

beforeAll(async () => {
  await topics.connect();
  producer = topics.kafka.producer();
  await producer.connect();
});
afterAll(async () => {
  await producer.disconnect();
  await topics.disconnect();
});

const attributesUpdate = (controllerId: string): RawDeviceMessage => ({
  key: controllerId,
  value: JSON.stringify({
    type: 'UPDATE_ATTRIBUTES',
    controllerId,
    attributes: { hw: 'rev2', region: 'eu' },
    mode: 'merge',
  }),
});
const twice = <T>(items: T[]): T[] => items.flatMap((item) => [item, item]);
const ids = (prefix: string, kind: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${prefix}-${kind}-${String(i + 1).padStart(3, '0')}`);

describe('device messages sent twice', () => {
  it('change no target, no count and no instruction', async () => {
    const prefix = uniqueName('twice');
    const ok = ids(prefix, 'ok', 8);
    const failing = ids(prefix, 'fail', 2);
    const devices = [...ok, ...failing];
    const connector = new DoublingConnector(topics.kafka, producer, prefix, (id) =>
      failing.includes(id) ? 'ERROR' : 'FINISHED',
    );
    const targets = () => admin.countTargets(`controllerId==${prefix}-*`);
    try {
      // Succeeding devices first, so the auto split (target id order) puts both failures in group 2.
      await connector.send(twice(ok.map(thingCreated)));
      await eventually(async () => expect(await targets()).toBe(8), { timeoutMs: 60_000, description: 'ok devices' });
      await connector.send(twice(failing.map(thingCreated)));
      await eventually(async () => expect(await targets()).toBe(10), { timeoutMs: 60_000, description: 'all devices' });
      await connector.send(twice(devices.map(attributesUpdate)));

      await connector.start();
      const outboundFrom = await topics.ends(Topics.deviceOutbound);
      const id = await createReadyRollout(prefix, {
        amountGroups: 2,
        successCondition: { condition: 'THRESHOLD', expression: 100 },
      });
      await admin.expect(204, 'POST', `/rollouts/${id}/start`);
      const expected = { running: 0, notstarted: 0, scheduled: 0, cancelled: 0, finished: 8, error: 2 };
      const finished = await untilStatus(id, 'finished');
      expect(finished.totalTargetsPerStatus).toEqual(expected);

      // Everything once more, then wait until every service has read it all.
      expect(await connector.resendEverything()).toBe(2 * 10 + 2 * 10 + 4 * 10);
      await topics.untilConsumed();

      const view = await admin.rollout(id);
      expect([view.status, view.totalTargets, view.totalTargetsPerStatus]).toEqual(['finished', 10, expected]);
      expect(await groupStatuses(id)).toEqual(['finished', 'finished']);
      const groups = await admin.deployGroups(id);
      expect(
        groups.map((g) => [g.totalTargets, g.totalTargetsPerStatus.finished, g.totalTargetsPerStatus.error]),
      ).toEqual([
        [5, 5, 0],
        [5, 3, 2],
      ]);
      expect(await targets()).toBe(10);
      for (const device of devices) {
        const target = await admin.expect<{ updateStatus: string }>(200, 'GET', `/targets/${device}`);
        expect([device, target.updateStatus]).toEqual([device, failing.includes(device) ? 'error' : 'in_sync']);
        expect(await admin.expect(200, 'GET', `/targets/${device}/attributes`)).toEqual({ hw: 'rev2', region: 'eu' });
      }
      expect(instructionProblems(await topics.outboundOf(id, outboundFrom), devices)).toEqual({});
      expect([...connector.instructions.values()]).toEqual(devices.map(() => 1));
    } finally {
      await connector.stop();
    }
  });
});
