import { Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import type { RecordedEvent } from '@fleetwave/contracts';
import { createRelay, PostgresEventStore, relayMessageFor, type SqlExecutor } from '@fleetwave/event-store';
import {
  createKafkaClient,
  IdempotentConsumer,
  KafkaPublisher,
  type IdempotentConsumerOptions,
  type MessagingLogger,
} from '@fleetwave/messaging';
import { parseEnvelope, type Envelope } from './envelope';
import { createPool, postgresReachable, type PlatformConfig, type ReadinessCheck } from '@fleetwave/platform';

/** Where a relayed event goes: topic and key; `value` replaces the `{ type, data, metadata }` envelope. */
export interface RelayRoute {
  topic: string;
  key: string;
  value?: unknown;
}

interface Startable {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The runtime pieces every service is made of, built from its validated configuration: a
 * Postgres pool, its event store (schema-scoped), a Kafka publisher, relays from the store to
 * Kafka, idempotent consumers and store subscriptions — started and stopped in the right order.
 */
export class ServiceKit {
  readonly pool: Pool;
  private eventStore?: PostgresEventStore;
  readonly publisher: KafkaPublisher;
  private readonly kafka;
  private readonly logger: Logger;
  private readonly consumers: IdempotentConsumer<unknown>[] = [];
  private readonly subscriptions: Startable[] = [];
  private readonly migrations: string[] = [];

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
    this.publisher = new KafkaPublisher({ kafka: this.kafka, logger: this.messagingLogger() });
  }

  /** The service's event store, created (and migrated at start) only for services that use one. */
  get store(): PostgresEventStore {
    this.eventStore ??= new PostgresEventStore(this.pool, this.schema);
    return this.eventStore;
  }

  /** DDL the service needs besides the event store; run in order at start. */
  migration(sql: string): this {
    this.migrations.push(sql);
    return this;
  }

  /** Publishes the store's events of these categories to Kafka: at-least-once, in stream order. */
  relay(categories: string[], route: (event: RecordedEvent) => RelayRoute | undefined): this {
    const source = `fleetwave/${this.config.serviceName}`;
    this.subscriptions.push(
      createRelay({
        store: this.store,
        subscriptionId: `${this.config.serviceName}.relay.${categories.join('+')}`,
        categories,
        publish: async (events) => {
          const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
          for (const event of events) {
            const target = route(event);
            if (!target) continue;
            const message = relayMessageFor(event, source);
            const value = target.value === undefined ? message.value : JSON.stringify(target.value);
            const list = byTopic.get(target.topic) ?? [];
            list.push({ ...message, key: target.key, value });
            byTopic.set(target.topic, list);
          }
          if (byTopic.size === 0) return;
          await this.publisher.sendBatch([...byTopic].map(([topic, messages]) => ({ topic, messages })));
        },
      }),
    );
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

  /** An idempotent consumer in the service's schema; its effects commit with the processed-message record. */
  consume<T>(options: Omit<IdempotentConsumerOptions<T>, 'pool' | 'schema' | 'kafka' | 'logger'>): this {
    this.consumers.push(
      new IdempotentConsumer<T>({
        // Partitions are independent (each keeps its order), so several are worked at once.
        partitionsConsumedConcurrently: 4,
        ...options,
        pool: this.pool,
        schema: this.schema,
        kafka: this.kafka,
        logger: this.messagingLogger(),
        deadLetterPublisher: this.publisher,
      }) as IdempotentConsumer<unknown>,
    );
    return this;
  }

  /**
   * Consumes integration events (`{ type, data }` envelopes) of the given topics; other shapes go
   * to the DLQ. With `types`, events of other types are skipped without touching Postgres.
   */
  consumeEvents(
    groupId: string,
    topics: string[],
    handle: IdempotentConsumerOptions<Envelope>['handle'],
    types?: string[],
  ): this {
    // Event types the handler has no effect for are settled without a transaction.
    const relevant = types ? (event: Envelope) => types.includes(event.type) : undefined;
    return this.consume<Envelope>({ groupId, topics, parse: parseEnvelope, handle, relevant });
  }

  async start(): Promise<void> {
    await this.eventStore?.migrate();
    for (const sql of this.migrations) await this.pool.query(sql);
    await this.publisher.connect();
    for (const subscription of this.subscriptions) await subscription.start();
    await Promise.all(this.consumers.map((c) => c.start()));
  }

  /** Stops consumers first (no new work), then subscriptions and relays, then connections. */
  async stop(): Promise<void> {
    await Promise.allSettled(this.consumers.map((c) => c.stop()));
    await Promise.allSettled(this.subscriptions.map((s) => s.stop()));
    await this.publisher.disconnect().catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }

  readinessChecks(): ReadinessCheck[] {
    return [
      { name: 'postgres', check: () => postgresReachable(this.pool) },
      { name: 'kafka', check: () => this.consumers.every((c) => c.isHealthy()) && this.publisher.isHealthy() },
    ];
  }

  private messagingLogger(): MessagingLogger {
    return {
      debug: () => undefined,
      info: (message) => this.logger.log(message),
      warn: (message) => this.logger.warn(message),
      error: (message) => this.logger.error(message),
    };
  }
}
