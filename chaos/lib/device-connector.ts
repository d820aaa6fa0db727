import { randomUUID } from 'node:crypto';
import type { Consumer, Producer } from 'kafkajs';
import { Topics } from '@fleetwave/contracts';
import { parseJson, topicEndOffsets, type TopicRecord } from '@fleetwave/testing';
import type { ChaosEnv } from './rollout-under-fault';

/** One device report as a connector sends it: the raw value, so a catalogue can send invalid text too. */
export interface RawDeviceMessage {
  key: string;
  value: string;
}

/** Produces raw messages to device.inbound.v1, with the CloudEvents headers a connector sets. */
export async function sendDeviceMessages(producer: Producer, messages: RawDeviceMessage[]): Promise<void> {
  for (let i = 0; i < messages.length; i += 1_000) {
    await producer.send({
      topic: Topics.deviceInbound,
      messages: messages.slice(i, i + 1_000).map((m) => ({
        key: m.key,
        value: m.value,
        headers: {
          ce_specversion: '1.0',
          ce_id: randomUUID(),
          ce_type: 'device-message',
          ce_source: 'fleetwave/chaos',
        },
      })),
    });
  }
}

export const thingCreated = (controllerId: string): RawDeviceMessage => ({
  key: controllerId,
  value: JSON.stringify({ type: 'THING_CREATED', tenant: 'DEFAULT', controllerId, name: controllerId }),
});

export const statusReport = (controllerId: string, actionId: number, status: string): RawDeviceMessage => ({
  key: controllerId,
  value: JSON.stringify({
    type: 'UPDATE_ACTION_STATUS',
    tenant: 'DEFAULT',
    controllerId,
    actionId,
    status,
    messages: [],
  }),
});

/**
 * A device connector that answers every instruction for `prefix-*` devices badly on purpose:
 * FINISHED twice and stale RUNNING and DOWNLOAD reports, in random order per device (the final
 * report may come before or after the stale ones), and the whole answer sent again reversed.
 */
export class UnrulyConnector {
  private consumer?: Consumer;
  instructions = 0;
  reportsSent = 0;

  constructor(
    private readonly env: ChaosEnv,
    private readonly producer: Producer,
    private readonly prefix: string,
    private readonly random: () => number,
  ) {}

  async start(): Promise<void> {
    const from = await topicEndOffsets(this.env.admin, Topics.deviceOutbound);
    this.consumer = this.env.kafka.consumer({ groupId: `chaos-connector-${randomUUID()}` });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: Topics.deviceOutbound, fromBeginning: false });
    await this.consumer.run({
      eachBatch: async ({ batch }) => {
        const records = batch.messages.map((m) => ({ value: m.value?.toString() ?? '' }) as TopicRecord);
        await this.answer(records);
      },
    });
    for (const [partition, offset] of from)
      this.consumer.seek({ topic: Topics.deviceOutbound, partition, offset: offset.toString() });
  }

  private async answer(records: TopicRecord[]): Promise<void> {
    const answers: RawDeviceMessage[] = [];
    for (const record of records) {
      const m = parseJson<{ type?: string; controllerId?: string; actionId?: number }>(record.value);
      if (!m?.controllerId?.startsWith(`${this.prefix}-`) || m.type !== 'DOWNLOAD_AND_INSTALL') continue;
      this.instructions++;
      for (const status of ['FINISHED', 'RUNNING', 'FINISHED', 'DOWNLOAD', 'RUNNING'])
        answers.push(statusReport(m.controllerId, Number(m.actionId), status));
    }
    if (answers.length === 0) return;
    const shuffled = shuffle(answers, this.random);
    await sendDeviceMessages(this.producer, [...shuffled, ...[...shuffled].reverse()]);
    this.reportsSent += 2 * shuffled.length;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
