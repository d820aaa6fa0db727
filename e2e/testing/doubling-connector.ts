import type { Consumer, Kafka, Producer } from 'kafkajs';
import { Topics } from '@fleetwave/contracts';
import {
  parseJson,
  sendDeviceMessages,
  statusReport,
  topicEndOffsets,
  uniqueName,
  type RawDeviceMessage,
} from '@fleetwave/testing';

/**
 * A device connector for the devices `prefix-*` that sends every message twice: each report on
 * an instruction (RUNNING, then the device's outcome) goes out twice in a row, and, once the
 * test asks, everything it ever sent goes out once more. Devices confirm a CONFIRM request
 * (twice, like everything else).
 */
export class DoublingConnector {
  private consumer?: Consumer;
  /** Instructions received per device. */
  readonly instructions = new Map<string, number>();
  private readonly sent: RawDeviceMessage[] = [];

  constructor(
    private readonly kafka: Kafka,
    private readonly producer: Producer,
    private readonly prefix: string,
    private readonly outcomeOf: (controllerId: string) => 'FINISHED' | 'ERROR',
  ) {}

  /** Listens from the current end of device.outbound.v1 on. */
  async start(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    const from = await topicEndOffsets(admin, Topics.deviceOutbound).finally(() => admin.disconnect());
    this.consumer = this.kafka.consumer({ groupId: uniqueName('e2e-doubling'), maxWaitTimeInMs: 200 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: Topics.deviceOutbound, fromBeginning: false });
    await this.consumer.run({
      eachBatch: async ({ batch }) => {
        const answers: RawDeviceMessage[] = [];
        for (const record of batch.messages) {
          const m = parseJson<{ type?: string; controllerId?: string; actionId?: number }>(
            record.value?.toString() ?? '',
          );
          if (!m?.controllerId?.startsWith(`${this.prefix}-`) || typeof m.actionId !== 'number') continue;
          answers.push(...this.answer(m.type, m.controllerId, m.actionId));
        }
        if (answers.length > 0) await this.send(answers);
      },
    });
    for (const [partition, offset] of from)
      this.consumer.seek({ topic: Topics.deviceOutbound, partition, offset: offset.toString() });
  }

  private answer(type: string | undefined, controllerId: string, actionId: number): RawDeviceMessage[] {
    const twice = (status: string) => [
      statusReport(controllerId, actionId, status),
      statusReport(controllerId, actionId, status),
    ];
    if (type === 'CONFIRM') return twice('CONFIRMED');
    if (type === 'CANCEL_DOWNLOAD') return twice('CANCELED');
    if (type !== 'DOWNLOAD_AND_INSTALL' && type !== 'DOWNLOAD') return [];
    this.instructions.set(controllerId, (this.instructions.get(controllerId) ?? 0) + 1);
    return [...twice('RUNNING'), ...twice(this.outcomeOf(controllerId))];
  }

  /** Sends messages as this connector's own (they are sent again by {@link resendEverything}). */
  async send(messages: RawDeviceMessage[]): Promise<void> {
    this.sent.push(...messages);
    await sendDeviceMessages(this.producer, messages);
  }

  /** Everything sent so far, once more, in the same order. */
  async resendEverything(): Promise<number> {
    const all = [...this.sent];
    await sendDeviceMessages(this.producer, all);
    return all.length;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
