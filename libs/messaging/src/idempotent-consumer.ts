import type { Consumer, ConsumerRunConfig, EachBatchPayload } from 'kafkajs';
import { backoffDelay, defaultBackoff, type BackoffPolicy } from './backoff';
import { defaultSliceLimits, sliceMessages, type SliceLimits } from './batch-slicer';
import { ConsumerHealthTracker, type ConsumerHealth, type ConsumerState } from './consumer-health';
import { createKafkaClient } from './kafka-client.factory';
import { KafkaPublisher } from './kafka-publisher';
import type { IdempotentConsumerOptions } from './idempotent-consumer.options';
import { errorMessage, silentLogger, type MessagingLogger } from './messaging-logger';
import { perMessageHandler } from './per-message.adapter';
import { ProcessedMessagesStore } from './processed-messages.store';
import { RetryRegistry } from './retry-registry';
import { SliceProcessor } from './slice-processor';
import { SliceRunner } from './slice-runner';

const restartBackoff: BackoffPolicy = { initialDelayMs: 1_000, maxDelayMs: 30_000, factor: 2 };

/**
 * A Kafka consumer-group member that applies each message exactly once to Postgres, a batch at
 * a time: each fetched batch of a partition is cut into slices (bounded by count and bytes),
 * and a slice's processed-message record and effects commit in ONE transaction before its
 * offsets are resolved. Permanent failures (bad input, data errors, rule violations) are
 * isolated and dead-lettered while the rest of the slice applies; transient ones retry the
 * whole slice with capped backoff, never skipping. A retry that lasts longer than
 * `stuckAfterMs` turns the consumer unhealthy and names the message and the error.
 */
export class IdempotentConsumer<T> {
  private readonly logger: MessagingLogger;
  private readonly consumer: Consumer;
  private readonly publisher: KafkaPublisher;
  private readonly ownsPublisher: boolean;
  private readonly store: ProcessedMessagesStore;
  private readonly runner: SliceRunner<T>;
  private readonly health: ConsumerHealthTracker;
  private readonly retries: RetryRegistry;
  private readonly sliceLimits: SliceLimits;
  private readonly heartbeatIntervalMs: number;
  private readonly stopController = new AbortController();
  private state: ConsumerState = 'idle';
  private consecutiveCrashes = 0;
  private restartTimer?: NodeJS.Timeout;
  private stopping?: Promise<void>;

  constructor(private readonly options: IdempotentConsumerOptions<T>) {
    if (!options.kafka && !options.brokers?.length)
      throw new Error('IdempotentConsumer needs brokers or a kafka client');
    if (!options.handle === !options.handleBatch)
      throw new Error(`consumer ${options.groupId} needs exactly one of handle and handleBatch`);
    this.logger = options.logger ?? silentLogger;
    const clientId = options.clientId ?? options.groupId;
    const kafka = options.kafka ?? createKafkaClient({ brokers: options.brokers ?? [], clientId, logger: this.logger });
    const sessionTimeout = options.sessionTimeoutMs ?? 6_000;
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 1_000;
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      sessionTimeout,
      heartbeatInterval: this.heartbeatIntervalMs,
      maxWaitTimeInMs: options.maxWaitTimeMs ?? 1_000,
    });
    this.health = new ConsumerHealthTracker(this.consumer, Math.max(2 * sessionTimeout, 30_000));
    this.consumer.on(this.consumer.events.CRASH, (event) => this.onCrash(event.payload.error, event.payload.restart));
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
      this.consecutiveCrashes = 0;
      if (this.state === 'restarting') this.state = 'running';
    });

    this.ownsPublisher = !options.deadLetterPublisher;
    this.publisher = options.deadLetterPublisher ?? new KafkaPublisher({ kafka, logger: this.logger });
    this.store = new ProcessedMessagesStore(options.schema);
    this.retries = new RetryRegistry(options.stuckAfterMs ?? 30_000);
    this.sliceLimits = {
      maxMessages: options.batchMaxMessages ?? defaultSliceLimits.maxMessages,
      maxBytes: options.batchMaxBytes ?? defaultSliceLimits.maxBytes,
    };
    const stopping = (): boolean => this.stopController.signal.aborted;
    const processor = new SliceProcessor<T>({
      consumerName: options.consumerName ?? options.groupId,
      pool: options.pool,
      store: this.store,
      parse: options.parse,
      relevant: options.relevant,
      replaySafe: options.replaySafe,
      undecodable: options.undecodable,
      // The constructor has checked that exactly one of the two handlers is given.
      handle: options.handleBatch ?? perMessageHandler(options.handle!, stopping),
      publishDeadLetters: async (records) => void (await this.publisher.sendBatch(records)),
      logger: this.logger,
    });
    this.runner = new SliceRunner<T>({
      processor,
      retries: this.retries,
      logger: this.logger,
      retryBackoff: options.retryBackoff ?? defaultBackoff,
      unknownErrorAttempts: options.unknownErrorAttempts ?? 3,
      heartbeatIntervalMs: this.heartbeatIntervalMs,
      stopSignal: this.stopController.signal,
      onOutcome: options.onOutcome,
      metrics: options.metrics,
    });
  }

  /** The consumer group this member belongs to. */
  get groupId(): string {
    return this.options.groupId;
  }

  /** The topics it consumes. */
  get topics(): readonly string[] {
    return this.options.topics;
  }

  /** Creates the processed-messages table, connects, joins the group and starts consuming. */
  async start(): Promise<void> {
    if (this.state !== 'idle') throw new Error(`consumer ${this.options.groupId} cannot start: it is ${this.state}`);
    this.state = 'starting';
    try {
      await this.store.ensureTable(this.options.pool);
      if (this.ownsPublisher) await this.publisher.connect();
      await this.consumer.connect();
      await this.consumer.subscribe({ topics: this.options.topics, fromBeginning: this.options.fromBeginning ?? true });
      await this.consumer.run(this.runConfig());
    } catch (error) {
      await this.stop().catch(() => undefined);
      throw error;
    }
    if (this.state === 'starting') this.state = 'running';
    this.logger.info('consumer started', { groupId: this.options.groupId, topics: this.options.topics });
  }

  /**
   * Lets the in-flight message finish, commits the resolved offsets, leaves the group and
   * disconnects. A message still waiting for a retry is left uncommitted for the next owner.
   */
  stop(): Promise<void> {
    this.stopping ??= this.shutDown();
    return this.stopping;
  }

  /** Alias of {@link stop}, so the consumer can be handed to {@link installShutdownHooks}. */
  close(): Promise<void> {
    return this.stop();
  }

  /** Whether the consumer is running, connected to Kafka, in its group, recently active and not stuck. */
  isHealthy(): boolean {
    return this.health.isHealthy(this.state) && this.retries.stuck() === undefined;
  }

  /** Details for a readiness endpoint: which message is retried or stuck, and why. */
  healthDetails(): ConsumerHealth {
    const { connected, groupJoined, lastActivityAt, lastError } = this.health;
    const retryingPartitions = this.retries.all();
    return {
      healthy: this.isHealthy(),
      state: this.state,
      connected,
      groupJoined,
      lastActivityAt,
      lastError,
      retrying: retryingPartitions[0],
      stuck: this.retries.stuck(),
      retryingPartitions,
    };
  }

  private async shutDown(): Promise<void> {
    const previous = this.state;
    this.state = 'stopping';
    this.stopController.abort();
    clearTimeout(this.restartTimer);
    try {
      // kafkajs waits for the batch in progress; our loop ends it after the current message.
      if (previous !== 'idle') await this.consumer.disconnect();
      if (this.ownsPublisher) await this.publisher.disconnect();
    } finally {
      this.state = 'stopped';
      this.logger.info('consumer stopped', { groupId: this.options.groupId });
    }
  }

  private runConfig(): ConsumerRunConfig {
    return {
      // Offsets are resolved per slice, after the slice's transaction commits.
      eachBatchAutoResolve: false,
      autoCommit: true,
      autoCommitInterval: 1_000,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.consumeBatch(payload),
    };
  }

  private async consumeBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, commitOffsetsIfNecessary, heartbeat, isRunning, isStale } = payload;
    for (const messages of sliceMessages(batch.messages, this.sliceLimits)) {
      if (!isRunning() || isStale() || this.stopController.signal.aborted) return;
      const prepared = this.runner.prepare(batch.topic, batch.partition, messages);
      const settled = await this.runner.settle(prepared, messages, { heartbeat, isRunning, isStale });
      if (!settled) return;
      if (settled.lastOffset !== undefined) {
        await this.options.onSliceCommitted?.({
          topic: batch.topic,
          partition: batch.partition,
          firstOffset: messages[0].offset,
          lastOffset: settled.lastOffset,
          messages: settled.settled.length,
        });
        resolveOffset(settled.lastOffset);
      }
      await commitOffsetsIfNecessary();
      await heartbeat();
      // The per-message path ends a slice early on stop; the rest is left for the next owner.
      if (settled.settled.length < prepared.entries.length) return;
    }
  }

  private onCrash(error: Error, restartedByKafkajs: boolean): void {
    this.consecutiveCrashes++;
    if (this.stopController.signal.aborted) return;
    this.logger.error('Kafka consumer crashed', {
      groupId: this.options.groupId,
      error: errorMessage(error),
      restartedByKafkajs,
    });
    if (restartedByKafkajs) {
      this.state = 'restarting';
      return;
    }
    this.scheduleRestart();
  }

  /** kafkajs gives up on errors it deems non-retriable; a service must keep consuming, so we restart it. */
  private scheduleRestart(): void {
    this.state = 'restarting';
    const delayMs = backoffDelay(restartBackoff, this.consecutiveCrashes);
    this.restartTimer = setTimeout(() => void this.restart(), delayMs);
  }

  private async restart(): Promise<void> {
    if (this.stopController.signal.aborted) return;
    try {
      await this.consumer.connect();
      // Back to 'running' on GROUP_JOIN: run() also returns when joining failed and crashed again.
      await this.consumer.run(this.runConfig());
    } catch (error) {
      this.consecutiveCrashes++;
      this.logger.error('restarting the Kafka consumer failed', {
        groupId: this.options.groupId,
        error: errorMessage(error),
      });
      if (!this.stopController.signal.aborted) this.scheduleRestart();
    }
  }
}

/** Creates an {@link IdempotentConsumer} and starts it; resolves once it has joined its group. */
export async function runIdempotentConsumer<T>(options: IdempotentConsumerOptions<T>): Promise<IdempotentConsumer<T>> {
  const consumer = new IdempotentConsumer(options);
  await consumer.start();
  return consumer;
}
