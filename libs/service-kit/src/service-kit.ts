import { Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import { integrationEventUpcasters, type RecordedEvent, type UpcasterRegistry } from '@fleetwave/contracts';
import { createRelay, PostgresEventStore, type SqlExecutor, type SubscriptionHealth } from '@fleetwave/event-store';
import {
  backoffDelay,
  createKafkaClient,
  defaultBackoff,
  errorMessage,
  IdempotentConsumer,
  KafkaPublisher,
  sleep,
  type BatchHandler,
  type ConsumerHealth,
  type IdempotentConsumerOptions,
  type MessagingLogger,
} from '@fleetwave/messaging';
import { envelopeIntake, type Envelope } from './envelope';
import { KitMetrics, type MeteredRelay } from './kit-metrics';
import { packRelayMessages, type RelayRoute } from './relay-packing';
import {
  createPool,
  migrateSchema,
  postgresReachable,
  secondsSince,
  type ConsumerGroupLag,
  type ServiceMetrics,
  type ConsumerLagSource,
  type PlatformConfig,
  type ReadinessCheck,
  type SchemaMigrationPlan,
} from '@fleetwave/platform';

interface Startable {
  start(): Promise<void>;
  stop(): Promise<void>;
  health?(): SubscriptionHealth;
  backlog?(limit: number): Promise<number>;
}

/** A relay or store subscription whose batch keeps failing for this long turns readiness red. */
export const subscriptionStuckAfterMs = 30_000;

/** Options of {@link ServiceKit.consume}: a consumer's own settings; the kit supplies pool, schema, client and logger. */
export type KitConsumerOptions<T> = Omit<IdempotentConsumerOptions<T>, 'pool' | 'schema' | 'kafka' | 'logger'>;

/** What readiness shows of one consumer: its group and health, with the stuck message if any. */
export interface ConsumerReadiness extends ConsumerHealth {
  groupId: string;
}

/** Partitions a consumer of the kit works on at once, unless it says otherwise; the pool holds 20 connections. */
export const defaultPartitionsConsumedConcurrently = 4;

/**
 * The runtime pieces every service is made of, built from its validated configuration: a
 * Postgres pool, its event store (schema-scoped), a Kafka publisher, relays from the store to
 * Kafka, idempotent consumers and store subscriptions — started and stopped in the right order.
 */
export class ServiceKit implements ConsumerLagSource {
  readonly pool: Pool;
  /**
   * The service's metrics, served at `GET /metrics`: consumers, relays and consumer lag report
   * here on their own; a service adds its own families (say, gauges read from its tables).
   */
  readonly metrics: ServiceMetrics;
  private readonly telemetry: KitMetrics;
  private readonly relays: MeteredRelay[] = [];
  private eventStore?: PostgresEventStore;
  readonly publisher: KafkaPublisher;
  private readonly kafka;
  private readonly logger: Logger;
  private readonly consumerOptions: KitConsumerOptions<unknown>[] = [];
  private readonly consumers: IdempotentConsumer<unknown>[] = [];
  private consumersStarting?: Promise<void>;
  private stopped = false;
  private readonly subscriptions: Startable[] = [];
  private readonly migrations: SchemaMigrationPlan[] = [];

  /**
   * The upcaster seam: applied to Kafka envelopes as they are parsed and to the events read from
   * the store, so handlers only see current versions. A service registers the steps of its
   * private events here in its wiring, before the kit starts.
   */
  readonly upcasters: UpcasterRegistry = integrationEventUpcasters();

  constructor(
    readonly config: PlatformConfig,
    readonly schema: string,
  ) {
    this.logger = new Logger(config.serviceName);
    this.pool = createPool(config.databaseUrl, config.serviceName, 20);
    this.kafka = createKafkaClient({
      brokers: config.kafkaBrokers,
      clientId: config.serviceName,
      logger: this.messagingLogger(),
    });
    this.publisher = new KafkaPublisher({
      kafka: this.kafka,
      logger: this.messagingLogger(),
      limits: { maxRequestBytes: config.kafkaMaxRequestBytes },
    });
    this.telemetry = new KitMetrics(
      config.serviceName,
      this.kafka.admin(),
      () => this.consumerOptions.map(({ groupId, topics }) => ({ groupId, topics })),
      () => this.relays,
    );
    this.metrics = this.telemetry.metrics;
  }

  /** The service's event store, created (and migrated at start) only for services that use one. */
  get store(): PostgresEventStore {
    this.eventStore ??= new PostgresEventStore(this.pool, this.schema, {
      maxEventBytes: this.config.maxEventBytes,
      upcast: this.upcasters.upcast,
    });
    return this.eventStore;
  }

  /**
   * Versioned tables the service needs besides the event store: at start, each plan's pending
   * migrations run once, in order, under a lock shared with the service's other instances.
   */
  migration(plan: SchemaMigrationPlan): this {
    this.migrations.push(plan);
    return this;
  }

  /** Publishes the store's events of these categories to Kafka: at-least-once, in stream order. */
  relay(categories: string[], route: (event: RecordedEvent) => RelayRoute | undefined): this {
    const source = `fleetwave/${this.config.serviceName}`;
    const subscriptionId = `${this.config.serviceName}.relay.${categories.join('+')}`;
    const recorder = this.telemetry.forRelay(subscriptionId);
    const subscription = createRelay({
      store: this.store,
      subscriptionId,
      categories,
      publish: async (events) => {
        const start = process.hrtime.bigint();
        const { byTopic, routed } = packRelayMessages(events, route, source);
        if (byTopic.size === 0) return;
        await this.publisher.sendBatch([...byTopic].map(([topic, messages]) => ({ topic, messages })));
        recorder.published(routed, secondsSince(start));
      },
    });
    this.subscriptions.push(subscription);
    this.relays.push({ relay: subscriptionId, backlog: subscription.backlog?.bind(subscription) });
    return this;
  }

  /** A checkpointed subscription to this service's own store (effects commit with the checkpoint). */
  subscribe(
    name: string,
    categories: string[],
    handler: (events: RecordedEvent[], tx: SqlExecutor) => Promise<void>,
  ): this {
    this.subscriptions.push(
      this.store.subscribe({ subscriptionId: `${this.config.serviceName}.${name}`, categories, handler }),
    );
    return this;
  }

  /**
   * An idempotent consumer in the service's schema; its effects commit with the processed-message
   * record. Give `handleBatch` (one transaction per batch slice, set-based) or `handle` (each
   * message under a savepoint inside the slice's transaction).
   */
  consume<T>(options: KitConsumerOptions<T>): this {
    this.consumerOptions.push(options as KitConsumerOptions<unknown>);
    return this;
  }

  /**
   * Consumes integration events (`{ type, data }` envelopes) of the given topics one by one; other
   * shapes go to the DLQ. Envelopes are upcast to their current version as they are parsed. With
   * `types` (current versions), events of other types are skipped without touching Postgres.
   */
  consumeEvents(
    groupId: string,
    topics: string[],
    handle: NonNullable<IdempotentConsumerOptions<Envelope>['handle']>,
    types?: string[],
  ): this {
    return this.consume<Envelope>({ groupId, topics, handle, ...envelopeIntake(this.upcasters, types) });
  }

  /**
   * Consumes integration events a batch slice at a time: `handleBatch` gets the new envelopes of
   * one partition in Kafka order, inside one transaction, each upcast to its current version.
   * With `types` (current versions), events of other types are skipped without touching Postgres.
   * `extra.replaySafe` names the events that need no processed-message record; `extra.relevant`
   * narrows the type filter to the events the handler can act on.
   */
  consumeEventBatches(
    groupId: string,
    topics: string[],
    handleBatch: BatchHandler<Envelope>,
    types?: string[],
    extra: Pick<IdempotentConsumerOptions<Envelope>, 'replaySafe' | 'relevant'> = {},
  ): this {
    const intake = envelopeIntake(this.upcasters, types);
    const byType = intake.relevant;
    const { relevant: alsoNeeded, ...rest } = extra;
    // `extra.relevant` narrows the type filter: what it refuses is settled without a transaction.
    const relevant =
      byType && alsoNeeded ? (event: Envelope) => byType(event) && alsoNeeded(event) : (byType ?? alsoNeeded);
    return this.consume<Envelope>({ groupId, topics, handleBatch, ...intake, relevant, ...rest });
  }

  /**
   * Migrates, connects and starts relays and subscriptions; consumers join their groups in the
   * background so that the HTTP listener (liveness) opens at once. Readiness stays red until
   * every consumer has joined.
   */
  async start(): Promise<void> {
    await this.eventStore?.migrate();
    for (const plan of this.migrations) {
      const applied = await migrateSchema(this.pool, plan);
      if (applied.length > 0) this.logger.log(`schema ${plan.schema} migrated: ${applied.join(', ')}`);
    }
    await this.publisher.connect();
    for (const subscription of this.subscriptions) await subscription.start();
    this.consumers.push(...this.consumerOptions.map((options) => this.createConsumer(options)));
    this.consumersStarting = Promise.all(this.consumers.map((_, index) => this.startConsumer(index))).then(
      () => undefined,
    );
  }

  /** Resolves once every consumer has joined its group (or the kit stopped); for tests and tools. */
  async consumersStarted(): Promise<void> {
    await this.consumersStarting;
  }

  /**
   * Lag of each consumer group of the service over all partitions of its topics, read from
   * Kafka (shared by `/metrics` and `/health/lag`, at most one read a second).
   */
  consumerLag(): Promise<ConsumerGroupLag[]> {
    return this.telemetry.consumerLag();
  }

  /** Stops consumers first (no new work), then subscriptions and relays, then connections. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled(this.consumers.map((c) => c.stop()));
    await this.telemetry.stop();
    await Promise.allSettled(this.subscriptions.map((s) => s.stop()));
    await this.publisher.disconnect().catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }

  readinessChecks(): ReadinessCheck[] {
    return [
      { name: 'postgres', check: () => postgresReachable(this.pool) },
      {
        name: 'kafka',
        check: () =>
          this.consumers.length === this.consumerOptions.length &&
          this.consumers.every((c) => c.isHealthy()) &&
          this.publisher.isHealthy(),
        details: () => ({ consumers: this.consumerReadiness() }),
      },
      {
        name: 'subscriptions',
        check: () => this.stuckSubscriptions().length === 0,
        details: () => ({ stuck: this.stuckSubscriptions() }),
      },
    ];
  }

  /** Relays and store subscriptions whose batch has been failing for longer than the bound. */
  stuckSubscriptions(now = Date.now()): SubscriptionHealth[] {
    return this.subscriptions
      .map((s) => s.health?.())
      .filter(
        (h): h is SubscriptionHealth =>
          h?.failingSince !== undefined && now - h.failingSince.getTime() > subscriptionStuckAfterMs,
      );
  }

  /** Each consumer's health, with the message it is retrying or stuck on and the error. */
  consumerReadiness(): ConsumerReadiness[] {
    return this.consumers.map((consumer) => ({ groupId: consumer.groupId, ...consumer.healthDetails() }));
  }

  private createConsumer(options: KitConsumerOptions<unknown>): IdempotentConsumer<unknown> {
    return new IdempotentConsumer<unknown>({
      // Partitions are independent (each keeps its order), so several are worked at once.
      partitionsConsumedConcurrently: defaultPartitionsConsumedConcurrently,
      // Short sessions: a crashed member's partitions move to a live one within seconds.
      sessionTimeoutMs: this.config.kafkaSessionTimeoutMs,
      heartbeatIntervalMs: this.config.kafkaHeartbeatIntervalMs,
      metrics: this.telemetry.forConsumer(options.groupId),
      ...options,
      pool: this.pool,
      schema: this.schema,
      kafka: this.kafka,
      logger: this.messagingLogger(),
      deadLetterPublisher: this.publisher,
    });
  }

  /** Starts one consumer, replacing it with a fresh one and retrying with backoff while start-up fails. */
  private async startConsumer(index: number): Promise<void> {
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        await this.consumers[index].start();
        return;
      } catch (error) {
        const options = this.consumerOptions[index];
        this.logger.error(`consumer ${options.groupId} failed to start; retrying: ${errorMessage(error)}`);
        await sleep(backoffDelay(defaultBackoff, attempt));
        if (!this.stopped) this.consumers[index] = this.createConsumer(options);
      }
    }
  }

  private messagingLogger(): MessagingLogger {
    // The context carries the coordinates and the error text an operator needs; keep it on the line.
    const line = (message: string, context?: Record<string, unknown>): string =>
      context && Object.keys(context).length > 0 ? `${message} ${JSON.stringify(context)}` : message;
    return {
      debug: () => undefined,
      info: (message, context) => this.logger.log(line(message, context)),
      warn: (message, context) => this.logger.warn(line(message, context)),
      error: (message, context) => this.logger.error(line(message, context)),
    };
  }
}
