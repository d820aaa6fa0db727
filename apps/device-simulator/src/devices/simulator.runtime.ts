import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { toCloudEventHeaders } from '@fleetwave/contracts';
import {
  createKafkaClient,
  KafkaPublisher,
  withHeartbeats,
  type MessagingLogger,
  type OutgoingMessage,
} from '@fleetwave/messaging';
import type { PlatformConfig, ReadinessCheck } from '@fleetwave/platform';
import { randomUUID } from 'node:crypto';
import { answersForBatch } from './device-answers';
import { DeviceRangeStore } from './device-range.store';
import { deviceIdAt, DeviceRegistry, type DeviceRange } from './device-registry';
import { defaultSimulatorConfig, type SimulatorConfig } from './simulator.config';

/**
 * A device connector that plays the devices it registered: THING_CREATED on registration, and
 * status reports for every update offered to one of its devices. Each Kafka batch of offers is
 * answered with one publish, and its offsets are committed only after Kafka acknowledged the
 * answers (at least once; the system ignores duplicate reports). The registered ranges are kept
 * in a file, so a restarted simulator still answers for its devices.
 */
@Injectable()
export class SimulatorRuntime implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('device-simulator');
  private readonly kafka: Kafka;
  private readonly publisher: KafkaPublisher;
  private readonly consumer: Consumer;
  private readonly store: DeviceRangeStore;
  readonly registry: DeviceRegistry;
  private registrations: Promise<unknown> = Promise.resolve();
  /** Whether answers go to the partition number their offer came from; see {@link mirrorable}. */
  private mirrorPartitions = false;
  private consuming = false;
  private readonly heartbeatIntervalMs: number;
  private publisherReady: Promise<void> = Promise.resolve();
  private markJoined: () => void = () => undefined;
  private readonly firstJoin = new Promise<void>((resolve) => (this.markJoined = resolve));
  private stopping = false;
  private restartTimer?: NodeJS.Timeout;
  /** Status reports published since start. */
  answered = 0;

  constructor(
    config: PlatformConfig,
    private readonly options: SimulatorConfig = defaultSimulatorConfig,
  ) {
    const logger: MessagingLogger = {
      debug: () => undefined,
      info: (m) => this.logger.log(m),
      warn: (m) => this.logger.warn(m),
      error: (m) => this.logger.error(m),
    };
    this.store = new DeviceRangeStore(options.stateFile);
    this.registry = new DeviceRegistry(this.store.load());
    this.kafka = createKafkaClient({ brokers: config.kafkaBrokers, clientId: 'device-simulator', logger });
    this.publisher = new KafkaPublisher({
      kafka: this.kafka,
      logger,
      limits: { maxRequestBytes: config.kafkaMaxRequestBytes },
    });
    // A simulator killed without leaving its group holds its partitions until the session times
    // out; a short session lets the restarted one answer again within seconds, not half a minute.
    this.heartbeatIntervalMs = config.kafkaHeartbeatIntervalMs;
    this.consumer = this.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: config.kafkaSessionTimeoutMs,
      heartbeatInterval: config.kafkaHeartbeatIntervalMs,
      // kafkajs heartbeats between fetches only: an idle fetch waiting longer than the session
      // (its default waits 5 s) gets the member dropped and the group rebalanced, over and over.
      maxWaitTimeInMs: config.kafkaHeartbeatIntervalMs,
    });
    // Ready while in the group. kafkajs restarts the consumer after retriable crashes; after
    // the others (the broker was gone too long) the simulator starts it again itself.
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
      this.consuming = true;
      this.markJoined();
    });
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      this.consuming = false;
      if (!payload.restart && !this.stopping) this.restartTimer = setTimeout(() => void this.consume(), 5_000);
    });
  }

  /** Connects and joins in the background, so the HTTP listener (liveness) opens at once. */
  onApplicationBootstrap(): void {
    this.publisherReady = this.connectPublisher();
  }

  private async connectPublisher(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.publisher.connect();
        void this.consume();
        return;
      } catch (error) {
        this.logger.warn(
          `publisher did not connect (${error instanceof Error ? error.message : String(error)}); retrying`,
        );
        await new Promise((resolve) => setTimeout(resolve, 2_000));
      }
    }
  }

  private async consume(): Promise<void> {
    try {
      this.mirrorPartitions = await this.mirrorable();
      await this.consumer.connect();
      // A group with no committed offset yet starts at the beginning, not at the end: offers sent
      // before its first join (or between a first join and a rebalance that came before any
      // commit) would otherwise never be answered. Devices skip what is not theirs, and
      // action-dispatch ignores answers for actions already final.
      await this.consumer.subscribe({ topics: [this.options.outboundTopic], fromBeginning: true });
      await this.consumer.run({
        partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently,
        eachBatch: (payload) => this.answerBatch(payload),
      });
    } catch (error) {
      this.logger.warn(`consumer did not start (${error instanceof Error ? error.message : String(error)}); retrying`);
      if (!this.stopping) this.restartTimer = setTimeout(() => void this.consume(), 5_000);
    }
  }

  private async answerBatch(payload: EachBatchPayload) {
    // kafkajs heartbeats only when asked; a large batch under load may outlast the short session.
    await withHeartbeats(this.heartbeatIntervalMs, payload.heartbeat, () => this.answer(payload));
  }

  private async answer({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary }: EachBatchPayload) {
    if (batch.messages.length === 0) return;
    const now = Date.now();
    const reports = answersForBatch(batch.messages, (id) => this.registry.behaviourOf(id), now);
    if (reports.length > 0) {
      const time = new Date(now).toISOString();
      const partition = this.mirrorPartitions ? batch.partition : undefined;
      await this.publisher.send(
        this.options.inboundTopic,
        reports.map((r) => this.message(r.controllerId, r, 'UPDATE_ACTION_STATUS', time, partition)),
      );
      this.answered += reports.length;
    }
    resolveOffset(batch.messages[batch.messages.length - 1].offset);
    await commitOffsetsIfNecessary();
    await heartbeat();
  }

  /**
   * Offers are keyed by controllerId, so all offers to a device arrive on one partition. With
   * as many inbound as outbound partitions, answering on the same partition number keeps each
   * device's reports together and in order (where both topics use the default partitioner it
   * is the very partition the key hashes to) and spares hashing every key again, which is a
   * sizeable part of the cost of a report.
   */
  private async mirrorable(): Promise<boolean> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      const { topics } = await admin.fetchTopicMetadata({
        topics: [this.options.inboundTopic, this.options.outboundTopic],
      });
      return topics.length === 2 && topics[0].partitions.length === topics[1].partitions.length;
    } catch {
      return false;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  /**
   * Serves a range of devices and announces each with THING_CREATED; resolves once Kafka has
   * acknowledged all of them. The range is served (and persisted) before the first announcement,
   * so no offer to an announced device goes unanswered. Calls run one after another.
   */
  register(range: DeviceRange, attributes: Record<string, string>): Promise<void> {
    const run = this.registrations.then(async () => {
      await this.publisherReady;
      return this.announce(range, attributes);
    });
    this.registrations = run.catch(() => undefined);
    return run;
  }

  private async announce(range: DeviceRange, attributes: Record<string, string>): Promise<void> {
    this.registry.add(range);
    this.store.save(this.registry.ranges());
    const { registrationChunk, registrationInFlight } = this.options;
    const inFlight: Promise<unknown>[] = [];
    try {
      for (let first = 0; first < range.count; first += registrationChunk) {
        const time = new Date().toISOString();
        const messages: OutgoingMessage[] = [];
        for (let i = first; i < Math.min(first + registrationChunk, range.count); i++) {
          const controllerId = deviceIdAt(range, i);
          const value = { type: 'THING_CREATED', tenant: 'DEFAULT', controllerId, name: controllerId, attributes };
          messages.push(this.message(controllerId, value, 'THING_CREATED', time));
        }
        const sent = this.publisher.send(this.options.inboundTopic, messages);
        // Marked handled at once: a failure is rethrown when it is awaited below.
        sent.catch(() => undefined);
        inFlight.push(sent);
        if (inFlight.length >= registrationInFlight) await inFlight.shift();
      }
      await Promise.all(inFlight);
    } finally {
      await Promise.allSettled(inFlight);
    }
  }

  /** Resolves once the consumer first joined its group (answers flow from then on). */
  joined(): Promise<void> {
    return this.firstJoin;
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

  private message(
    controllerId: string,
    value: object,
    type: string,
    time: string,
    partition?: number,
  ): OutgoingMessage {
    const headers = toCloudEventHeaders({
      id: randomUUID(),
      type,
      source: 'fleetwave/device-simulator',
      time,
      subject: controllerId,
    });
    return { key: controllerId, value, headers, partition };
  }
}
