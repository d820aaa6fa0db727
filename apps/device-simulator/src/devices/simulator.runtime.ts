import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Consumer, Kafka } from 'kafkajs';
import { Topics, toCloudEventHeaders, type DeviceOutboundMessage } from '@fleetwave/contracts';
import { createKafkaClient, KafkaPublisher, type MessagingLogger } from '@fleetwave/messaging';
import type { PlatformConfig, ReadinessCheck } from '@fleetwave/platform';
import { randomUUID } from 'node:crypto';
import { answersFor } from './device-answers';
import { DeviceBehaviour, DeviceRegistry } from './device-registry';

/**
 * A device connector that plays the devices it registered: THING_CREATED on registration, and
 * status reports for every update offered to one of its devices. Offsets are committed only
 * after the answers are acknowledged by Kafka.
 */
@Injectable()
export class SimulatorRuntime implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('device-simulator');
  private readonly kafka: Kafka;
  private readonly publisher: KafkaPublisher;
  private readonly consumer: Consumer;
  private consuming = false;
  private stopping = false;
  private restartTimer?: NodeJS.Timeout;
  answered = 0;

  constructor(
    config: PlatformConfig,
    readonly registry: DeviceRegistry,
  ) {
    const logger: MessagingLogger = {
      debug: () => undefined,
      info: (m) => this.logger.log(m),
      warn: (m) => this.logger.warn(m),
      error: (m) => this.logger.error(m),
    };
    this.kafka = createKafkaClient({ brokers: config.kafkaBrokers, clientId: 'device-simulator', logger });
    this.publisher = new KafkaPublisher({ kafka: this.kafka, logger });
    this.consumer = this.kafka.consumer({ groupId: 'device-simulator' });
    // Ready while in the group. kafkajs restarts the consumer after retriable crashes; after
    // the others (the broker was gone too long) the simulator starts it again itself.
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => (this.consuming = true));
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      this.consuming = false;
      if (!payload.restart && !this.stopping) this.restartTimer = setTimeout(() => void this.consume(), 5_000);
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.publisher.connect();
    await this.consume();
  }

  private async consume(): Promise<void> {
    try {
      await this.runConsumer();
    } catch (error) {
      this.logger.warn(`consumer did not start (${error instanceof Error ? error.message : String(error)}); retrying`);
      if (!this.stopping) this.restartTimer = setTimeout(() => void this.consume(), 5_000);
    }
  }

  private async runConsumer(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [Topics.deviceOutbound], fromBeginning: false });
    await this.consumer.run({
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        const replies = [];
        for (const record of batch.messages) {
          const message = parse(record.value);
          const behaviour = message && this.registry.behaviourOf(message.controllerId);
          if (message && behaviour) replies.push(...answersFor(message, behaviour, Date.now()));
        }
        if (replies.length > 0) {
          await this.publisher.send(
            Topics.deviceInbound,
            replies.map((r) => ({
              key: r.controllerId,
              value: r,
              headers: this.headers('UPDATE_ACTION_STATUS', r.controllerId),
            })),
          );
          this.answered += replies.length;
        }
        resolveOffset(batch.messages[batch.messages.length - 1].offset);
        await heartbeat();
      },
    });
  }

  async register(
    controllerIds: string[],
    behaviour: DeviceBehaviour,
    attributes: Record<string, string>,
  ): Promise<void> {
    this.registry.register(controllerIds, behaviour);
    for (let i = 0; i < controllerIds.length; i += 500) {
      const chunk = controllerIds.slice(i, i + 500);
      await this.publisher.send(
        Topics.deviceInbound,
        chunk.map((controllerId) => ({
          key: controllerId,
          value: { type: 'THING_CREATED', tenant: 'DEFAULT', controllerId, name: controllerId, attributes },
          headers: this.headers('THING_CREATED', controllerId),
        })),
      );
    }
  }

  readiness(): ReadinessCheck[] {
    return [{ name: 'kafka', check: () => this.consuming && this.publisher.isHealthy() }];
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    await this.consumer.disconnect().catch(() => undefined);
    await this.publisher.disconnect().catch(() => undefined);
  }

  private headers(type: string, subject: string): Record<string, string> {
    return toCloudEventHeaders({
      id: randomUUID(),
      type,
      source: 'fleetwave/device-simulator',
      time: new Date().toISOString(),
      subject,
    });
  }
}

function parse(value: Buffer | null): DeviceOutboundMessage | undefined {
  try {
    const message = JSON.parse(value?.toString() ?? '') as DeviceOutboundMessage;
    return typeof message.controllerId === 'string' && typeof message.actionId === 'number' ? message : undefined;
  } catch {
    return undefined;
  }
}
