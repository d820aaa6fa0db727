import type { Consumer, ConsumerRunConfig, EachBatchPayload, KafkaMessage } from 'kafkajs';
import { backoffDelay, defaultBackoff, type BackoffPolicy } from './backoff';
import { waitWithHeartbeats, type BatchControls } from './batch-heartbeat';
import {
  ConsumerHealthTracker,
  type ConsumerHealth,
  type ConsumerState,
  type RetryingMessage,
} from './consumer-health';
import { messageContextOf, type MessageContext } from './inbound-message';
import { createKafkaClient } from './kafka-client.factory';
import { KafkaPublisher } from './kafka-publisher';
import type { IdempotentConsumerOptions } from './idempotent-consumer.options';
import { MessageProcessor, type MessageOutcome } from './message-processor';
import { errorMessage, silentLogger, type MessagingLogger } from './messaging-logger';
import { ProcessedMessagesStore } from './processed-messages.store';

const restartBackoff: BackoffPolicy = { initialDelayMs: 1_000, maxDelayMs: 30_000, factor: 2 };

/**
 * A Kafka consumer-group member that applies each message exactly once to Postgres: the
 * message id is recorded in the same transaction as the handler's effect, and the Kafka offset
 * is resolved only after that transaction commits. Bad input goes to the dead-letter topic and
 * consumption moves on; other failures are retried on the same message with capped backoff.
 */
export class IdempotentConsumer<T> {
  private readonly logger: MessagingLogger;
  private readonly consumer: Consumer;
  private readonly publisher: KafkaPublisher;
  private readonly ownsPublisher: boolean;
  private readonly store: ProcessedMessagesStore;
  private readonly processor: MessageProcessor<T>;
  private readonly health: ConsumerHealthTracker;
  private readonly heartbeatIntervalMs: number;
  private readonly stopController = new AbortController();
  private state: ConsumerState = 'idle';
  private retrying?: RetryingMessage;
  private consecutiveCrashes = 0;
  private restartTimer?: NodeJS.Timeout;
  private stopping?: Promise<void>;

  constructor(private readonly options: IdempotentConsumerOptions<T>) {
    if (!options.kafka && !options.brokers?.length)
      throw new Error('IdempotentConsumer needs brokers or a kafka client');
    this.logger = options.logger ?? silentLogger;
    const clientId = options.clientId ?? options.groupId;
    const kafka = options.kafka ?? createKafkaClient({ brokers: options.brokers ?? [], clientId, logger: this.logger });
    const sessionTimeout = options.sessionTimeoutMs ?? 30_000;
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 3_000;
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
    this.processor = new MessageProcessor<T>({
      consumerName: options.consumerName ?? options.groupId,
      pool: options.pool,
      store: this.store,
      parse: options.parse,
      handle: options.handle,
      relevant: options.relevant,
      publishDeadLetter: async (record) => void (await this.publisher.sendBatch([record])),
      logger: this.logger,
    });
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

  /** Whether the consumer is running, connected to Kafka, in its group and recently active. */
  isHealthy(): boolean {
    return this.health.isHealthy(this.state);
  }

  /** Details for a readiness endpoint. */
  healthDetails(): ConsumerHealth {
    const { connected, groupJoined, lastActivityAt, lastError } = this.health;
    return {
      healthy: this.isHealthy(),
      state: this.state,
      connected,
      groupJoined,
      lastActivityAt,
      lastError,
      retrying: this.retrying,
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
      // Offsets are resolved one by one, after each message's transaction commits.
      eachBatchAutoResolve: false,
      autoCommit: true,
      autoCommitInterval: 1_000,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.consumeBatch(payload),
    };
  }

  private async consumeBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, commitOffsetsIfNecessary, heartbeat, isRunning, isStale } = payload;
    for (const message of batch.messages) {
      if (!isRunning() || isStale() || this.stopController.signal.aborted) return;
      const settled = await this.settle(batch.topic, batch.partition, message, { heartbeat, isRunning, isStale });
      if (!settled) return;
      resolveOffset(message.offset);
      await commitOffsetsIfNecessary();
      await heartbeat();
    }
  }

  /** Retries one message until it is settled; false when stopping or the partition moved away. */
  private async settle(
    topic: string,
    partition: number,
    message: KafkaMessage,
    controls: BatchControls,
  ): Promise<boolean> {
    const context = messageContextOf(topic, partition, message);
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await this.processor.process(context, message);
        if (attempt > 1)
          this.logger.info('message settled after retries', { topic, partition, offset: message.offset, attempt });
        this.retrying = undefined;
        this.report(outcome, context);
        return true;
      } catch (error) {
        const delayMs = backoffDelay(this.options.retryBackoff ?? defaultBackoff, attempt);
        this.retrying = {
          topic,
          partition,
          offset: message.offset,
          messageId: context.messageId,
          attempts: attempt,
          lastError: errorMessage(error),
        };
        this.logger.warn('processing failed; retrying the same message', { ...this.retrying, delayMs });
        if (!(await waitWithHeartbeats(delayMs, this.heartbeatIntervalMs, controls, this.stopController.signal))) {
          this.retrying = undefined;
          return false;
        }
      }
    }
  }

  private report(outcome: MessageOutcome, context: MessageContext): void {
    this.logger.debug('message settled', {
      outcome,
      topic: context.topic,
      partition: context.partition,
      offset: context.offset,
    });
    try {
      this.options.onOutcome?.(outcome, context);
    } catch (error) {
      this.logger.warn('onOutcome callback failed', { error: errorMessage(error) });
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
