import { Kafka, logLevel, type Admin } from 'kafkajs';
import { Topics } from '@fleetwave/contracts';
import {
  eventually,
  parseJson,
  readTopicRange,
  testKafkaBrokers,
  topicEndOffsets,
  uniqueName,
  type PartitionOffsets,
  type ServiceName,
  type TopicRecord,
} from '@fleetwave/testing';

/**
 * The device topics as a connector sees them, for the e2e specs: what the system sent to the
 * devices of a rollout, and whether the services have consumed everything sent so far.
 */
export class DeviceTopics {
  readonly kafka = new Kafka({
    clientId: uniqueName('e2e-devices'),
    brokers: testKafkaBrokers(),
    logLevel: logLevel.NOTHING,
  });
  readonly admin: Admin = this.kafka.admin();

  connect(): Promise<void> {
    return this.admin.connect();
  }

  disconnect(): Promise<void> {
    return this.admin.disconnect();
  }

  /** Where the next message of a topic will go: read from here to see what a test caused. */
  ends(topic: string): Promise<PartitionOffsets> {
    return topicEndOffsets(this.admin, topic);
  }

  /** Every message on device.outbound.v1 since `from` for the rollout, by type and device. */
  async outboundOf(rolloutId: number, from: PartitionOffsets): Promise<OutboundMessage[]> {
    const records = await readTopicRange(this.kafka, Topics.deviceOutbound, { from, timeoutMs: 60_000 });
    return records.flatMap((record) => {
      const message = outboundIn(record);
      return message?.rolloutId === rolloutId ? [message] : [];
    });
  }

  /** Status reports on device.inbound.v1 since `from` for devices whose id starts with `prefix`. */
  async reportsOf(prefix: string, from: PartitionOffsets): Promise<{ controllerId: string; status: string }[]> {
    const records = await readTopicRange(this.kafka, Topics.deviceInbound, { from, timeoutMs: 60_000 });
    return records.flatMap((record) => {
      const m = parseJson<{ type?: string; controllerId?: string; status?: string }>(record.value);
      return m?.type === 'UPDATE_ACTION_STATUS' && m.controllerId?.startsWith(prefix) && m.status
        ? [{ controllerId: m.controllerId, status: m.status }]
        : [];
    });
  }

  /**
   * Waits (bounded) until each consumer group, in the order given (a service's name stands for
   * its groups in {@link serviceGroups}), has committed everything on
   * its topics up to where they ended when the wait for it began: what was sent before has been
   * applied, or refused, by then. The default groups are those the device flow goes through, in
   * the order messages flow, so that what one of them produced is looked for after it.
   */
  async untilConsumed(groups: readonly string[] = deviceFlowGroups, timeoutMs = 60_000): Promise<void> {
    const expanded = groups.flatMap((g) => (g in serviceGroups ? serviceGroups[g as ServiceName] : [g]));
    for (const groupId of expanded) {
      const ends = new Map<string, bigint>();
      for (const { topic } of await this.admin.fetchOffsets({ groupId })) {
        for (const o of await this.admin.fetchTopicOffsets(topic)) ends.set(`${topic}:${o.partition}`, BigInt(o.high));
      }
      if (ends.size === 0) throw new Error(`consumer group ${groupId} has no offsets`);
      await eventually(
        async () => {
          const committed = new Map<string, bigint>();
          for (const { topic, partitions } of await this.admin.fetchOffsets({ groupId })) {
            for (const p of partitions) committed.set(`${topic}:${p.partition}`, BigInt(p.offset));
          }
          const behind = [...ends].filter(([key, end]) => (committed.get(key) ?? -1n) < end && end > 0n);
          expect(behind.map(([key]) => key)).toEqual([]);
        },
        { timeoutMs, intervalMs: 200, description: `${groupId} consumed what was sent` },
      );
    }
  }
}

/**
 * The consumer groups of each service that carry a rollout (a projection rebuilding from the
 * beginning of history is left out: it catches up at its own pace).
 */
export const serviceGroups: Record<ServiceName, readonly string[]> = {
  'rollout-command': [
    'rollout-command.device-registration',
    'rollout-command.group-events',
    'rollout-command.action-status',
  ],
  'action-dispatch': [
    'action-dispatch.rollout-events',
    'action-dispatch.group-events',
    'action-dispatch.device-status',
  ],
  'group-orchestrator': ['group-orchestrator.rollout-events', 'group-orchestrator.action-events'],
  reporting: ['reporting.read-model'],
  'device-simulator': ['device-simulator'],
  gateway: [],
};

/**
 * The consumer groups a device message passes through, in order: registration and action
 * status (device.inbound.v1), then the group workflow, the targets' status and the read model
 * (action.events.v1 and the rollout and group topics).
 */
export const deviceFlowGroups = [
  'rollout-command.device-registration',
  'action-dispatch.device-status',
  'group-orchestrator.action-events',
  'rollout-command.action-status',
  'reporting.read-model',
] as const;

/** A message of device.outbound.v1 with its event id (`ce_id`): a relay re-send repeats the id. */
export interface OutboundMessage {
  type: string;
  controllerId: string;
  actionId: number;
  rolloutId: number;
  eventId: string;
}

function outboundIn(record: TopicRecord): OutboundMessage | undefined {
  const m = parseJson<Partial<OutboundMessage>>(record.value);
  if (typeof m?.type !== 'string' || typeof m.controllerId !== 'string' || typeof m.actionId !== 'number') {
    return undefined;
  }
  return {
    type: m.type,
    controllerId: m.controllerId,
    actionId: m.actionId,
    rolloutId: Number(m.rolloutId),
    eventId: record.headers.ce_id ?? `${record.partition}:${record.offset}`,
  };
}

/**
 * Per device, the distinct messages of a type it was sent (relay re-sends of one event counted
 * once), as `controllerId → [actionId…]`: one entry per device means one instruction each.
 */
export function sentPerDevice(messages: OutboundMessage[], type: string): Map<string, number[]> {
  const seen = new Set<string>();
  const out = new Map<string, number[]>();
  for (const m of messages) {
    if (m.type !== type || seen.has(m.eventId)) continue;
    seen.add(m.eventId);
    out.set(m.controllerId, [...(out.get(m.controllerId) ?? []), m.actionId]);
  }
  return out;
}

/**
 * Exactly one instruction per device of `devices` (one action each, instructed once), and none
 * to any other device: answers the count per device of those that differ, empty when it holds.
 */
export function instructionProblems(messages: OutboundMessage[], devices: string[], type = 'DOWNLOAD_AND_INSTALL') {
  const sent = sentPerDevice(messages, type);
  const wanted = new Set(devices);
  const problems: Record<string, number[]> = {};
  for (const id of devices) if ((sent.get(id) ?? []).length !== 1) problems[id] = sent.get(id) ?? [];
  for (const [id, actions] of sent) if (!wanted.has(id)) problems[id] = actions;
  return problems;
}
