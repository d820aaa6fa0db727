import type { Producer } from 'kafkajs';
import { dlqTopicOf, Topics } from '@fleetwave/contracts';
import { readTopicRange, topicEndOffsets, uniqueName, type CheckResult } from '@fleetwave/testing';
import { sendDeviceMessages, type RawDeviceMessage } from './device-connector';
import { sleep } from './process-control';
import type { ChaosEnv } from './rollout-under-fault';

/** One poison device message; `marker` is unique and appears in its value, so its dead letter can be found. */
interface BadDeviceMessage {
  name: string;
  message(marker: string): RawDeviceMessage;
}

const status = (marker: string, rest: string) =>
  `{"type":"UPDATE_ACTION_STATUS","tenant":"DEFAULT","controllerId":"${marker}",${rest}}`;
const created = (body: object) => JSON.stringify({ type: 'THING_CREATED', tenant: 'DEFAULT', ...body });

/** The catalogue: each must be dead-lettered with a reason while the consumers keep going. */
export const badDeviceMessages: BadDeviceMessage[] = [
  {
    name: 'not JSON',
    message: (m) => ({ key: m, value: `{"type":"UPDATE_ACTION_STATUS","controllerId":"${m}", oops` }),
  },
  { name: 'JSON array', message: (m) => ({ key: m, value: `["${m}"]` }) },
  { name: 'unknown type', message: (m) => ({ key: m, value: JSON.stringify({ type: 'FLY', controllerId: m }) }) },
  { name: 'actionId 1e20', message: (m) => ({ key: m, value: status(m, '"actionId":1e20,"status":"FINISHED"') }) },
  { name: 'actionId 1.5', message: (m) => ({ key: m, value: status(m, '"actionId":1.5,"status":"FINISHED"') }) },
  { name: 'actionId -7', message: (m) => ({ key: m, value: status(m, '"actionId":-7,"status":"FINISHED"') }) },
  {
    name: 'unknown action',
    message: (m) => ({ key: m, value: status(m, '"actionId":987654321987,"status":"FINISHED"') }),
  },
  { name: 'unknown status', message: (m) => ({ key: m, value: status(m, '"actionId":1,"status":"FLYING"') }) },
  {
    name: 'UPDATE_ATTRIBUTES with NUL in a value',
    message: (m) => ({
      key: m,
      value: JSON.stringify({
        type: 'UPDATE_ATTRIBUTES',
        tenant: 'DEFAULT',
        controllerId: m,
        attributes: { hw: `a\u0000${m}` },
      }),
    }),
  },
  {
    name: 'NUL in controllerId',
    message: (m) => ({ key: m, value: created({ controllerId: `${m}\u0000x`, name: m }) }),
  },
  { name: 'NUL in name', message: (m) => ({ key: m, value: created({ controllerId: m, name: `a\u0000${m}` }) }) },
  {
    name: 'NUL in attribute value',
    message: (m) => ({ key: m, value: created({ controllerId: m, attributes: { hw: `rev\u0000${m}` } }) }),
  },
  {
    name: 'NUL in attribute key',
    message: (m) => ({ key: m, value: created({ controllerId: m, attributes: { [`k\u0000${m}`]: 'v' } }) }),
  },
  {
    name: 'attribute not a string',
    message: (m) => ({ key: m, value: created({ controllerId: m, attributes: { hw: { nested: m } } }) }),
  },
  {
    name: 'controllerId of 300 characters',
    message: (m) => ({ key: m, value: created({ controllerId: m.padEnd(300, 'x') }) }),
  },
];

/**
 * Sends the catalogue to device.inbound.v1 and looks for each message on the dead-letter topic
 * with a non-empty reason, bounded by `timeoutMs`.
 */
export async function badDeviceMessagesChecks(
  env: ChaosEnv,
  producer: Producer,
  timeoutMs: number,
): Promise<CheckResult[]> {
  const dlq = dlqTopicOf(Topics.deviceInbound);
  const from = await topicEndOffsets(env.admin, dlq);
  const sent = badDeviceMessages.map((bad) => ({ bad, marker: uniqueName('poison') }));
  await sendDeviceMessages(
    producer,
    sent.map(({ bad, marker }) => bad.message(marker)),
  );
  const reasons = new Map<string, string>();
  const deadline = Date.now() + timeoutMs;
  while (reasons.size < sent.length && Date.now() < deadline) {
    await sleep(2_000);
    for (const record of await readTopicRange(env.kafka, dlq, { from, timeoutMs: 30_000 })) {
      const hit = sent.find(({ marker }) => record.value.includes(marker));
      if (hit) reasons.set(hit.marker, record.headers['dlq-reason'] ?? '');
    }
  }
  return sent.map(({ bad, marker }) => {
    const reason = reasons.get(marker);
    return {
      check: `device message "${bad.name}" dead-lettered with a reason`,
      pass: reason !== undefined && reason.length > 0,
      detail: reason ?? `not on ${dlq} within ${timeoutMs} ms`,
    };
  });
}
