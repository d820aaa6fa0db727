import { Partitioners, type IHeaders, type Kafka, type Message, type Producer, type RecordMetadata } from 'kafkajs';
import { createKafkaClient } from './kafka-client.factory';
import { silentLogger, type MessagingLogger } from './messaging-logger';

/** A message to publish. An object value is sent as JSON; a string or Buffer as is. */
export interface OutgoingMessage {
  /** The id whose order matters (rolloutId, controllerId); same key → same partition → same order. */
  key?: string | Buffer | null;
  value: string | Buffer | object | null;
  headers?: IHeaders;
  partition?: number;
}

/** Messages for one topic, as passed to {@link KafkaPublisher.sendBatch}. */
export interface TopicMessages {
  topic: string;
  messages: OutgoingMessage[];
}

/** Options of {@link KafkaPublisher}. Either an existing kafkajs client or brokers to create one. */
export interface KafkaPublisherOptions {
  brokers?: string[];
  kafka?: Kafka;
  clientId?: string;
  logger?: MessagingLogger;
  /**
   * kafkajs retries per send. Bounded on purpose: an unbounded budget would block a caller (a
   * relay, a consumer dead-lettering) forever with no error to report; callers retry instead,
   * and any duplicate this causes is absorbed by the idempotent consumers.
   */
  retries?: number;
}

/** Turns a value into what goes on the wire; objects become JSON. */
export function encodeValue(value: OutgoingMessage['value']): string | Buffer | null {
  if (value === null || typeof value === 'string' || Buffer.isBuffer(value)) return value;
  return JSON.stringify(value);
}

/**
 * An idempotent Kafka producer (`acks: -1`, broker-side deduplication of retried batches) that
 * publishes JSON or raw values with headers. Create, `connect()`, `send()`, `disconnect()`.
 */
export class KafkaPublisher {
  private readonly producer: Producer;
  private connected = false;

  constructor(options: KafkaPublisherOptions) {
    if (!options.kafka && !options.brokers?.length) throw new Error('KafkaPublisher needs brokers or a kafka client');
    const logger = options.logger ?? silentLogger;
    const kafka =
      options.kafka ??
      createKafkaClient({
        brokers: options.brokers ?? [],
        clientId: options.clientId ?? 'fleetwave-publisher',
        logger,
      });
    this.producer = kafka.producer({
      idempotent: true,
      // Ordering per key must survive retries; idempotence keeps it with up to 5 in flight, one is the safe floor.
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { retries: options.retries ?? 10, initialRetryTime: 300, maxRetryTime: 10_000 },
    });
    this.producer.on(this.producer.events.CONNECT, () => (this.connected = true));
    this.producer.on(this.producer.events.DISCONNECT, () => (this.connected = false));
  }

  /** Connects to the cluster; call once before sending. */
  async connect(): Promise<void> {
    await this.producer.connect();
  }

  /** Closes the connections; every send is awaited, so nothing is left buffered. */
  async disconnect(): Promise<void> {
    await this.producer.disconnect();
  }

  /** Alias of {@link disconnect} so a publisher can be handed to {@link installShutdownHooks}. */
  close(): Promise<void> {
    return this.disconnect();
  }

  /** Whether the producer is connected to the cluster. */
  isHealthy(): boolean {
    return this.connected;
  }

  /** Publishes messages to one topic with `acks: -1`; resolves once all in-sync replicas have them. */
  async send(topic: string, messages: OutgoingMessage[]): Promise<RecordMetadata[]> {
    if (messages.length === 0) return [];
    return this.producer.send({ topic, acks: -1, messages: messages.map(toKafkaMessage) });
  }

  /** Publishes to several topics in one request per broker. */
  async sendBatch(batches: TopicMessages[]): Promise<RecordMetadata[]> {
    const topicMessages = batches
      .filter((batch) => batch.messages.length > 0)
      .map((batch) => ({ topic: batch.topic, messages: batch.messages.map(toKafkaMessage) }));
    if (topicMessages.length === 0) return [];
    return this.producer.sendBatch({ acks: -1, topicMessages });
  }
}

function toKafkaMessage(message: OutgoingMessage): Message {
  return {
    key: message.key ?? null,
    value: encodeValue(message.value),
    headers: message.headers,
    partition: message.partition,
  };
}
