import { randomUUID } from 'node:crypto';
import type { Consumer, Producer } from 'kafkajs';
import { Topics } from '@fleetwave/contracts';
import {
  parseJson,
  sendDeviceMessages,
  statusReport,
  topicEndOffsets,
  type RawDeviceMessage,
  type TopicRecord,
} from '@fleetwave/testing';
import type { ChaosEnv } from './rollout-under-fault';

export { sendDeviceMessages, statusReport, thingCreated, type RawDeviceMessage } from '@fleetwave/testing';

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
