import {
  Partitioners,
  type IHeaders,
  type Kafka,
  type Message,
  type Producer,
  type RecordMetadata,
  type TopicMessages as KafkaTopicMessages,
} from 'kafkajs';
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
  /** Bounds of each produce request; see {@link ProduceLimits}. */
  limits?: Partial<ProduceLimits>;
}

/**
 * How a publisher splits what it is given into produce requests. The broker refuses a record
 * batch above its `message.max.bytes` (1 MiB by default), and a refused batch is refused again
 * on every retry, so requests stay well below it whatever the caller hands over.
 */
export interface ProduceLimits {
  /** Most encoded bytes (key + value + headers, with per-record framing) in one request. */
  maxRequestBytes: number;
  /** Most messages in one request. */
  maxRequestMessages: number;
  /** Largest single message; one above it is refused before anything is sent. */
  maxMessageBytes: number;
}

/** Half the broker's default `message.max.bytes` per request; a lone message may use most of it. */
export const defaultProduceLimits: ProduceLimits = {
  maxRequestBytes: 512 * 1024,
  maxRequestMessages: 5_000,
  maxMessageBytes: 960 * 1024,
};

/** A message larger than {@link ProduceLimits.maxMessageBytes}: no request could carry it. */
export class MessageTooLargeError extends Error {
  readonly code = 'MESSAGING.MESSAGE_TOO_LARGE';
  constructor(
    readonly topic: string,
    readonly key: string | null,
    readonly sizeBytes: number,
    readonly maxMessageBytes: number,
  ) {
    super(
      `message to ${topic} with key ${key ?? '(none)'} is ${sizeBytes} bytes, above the ${maxMessageBytes}-byte maximum`,
    );
    this.name = 'MessageTooLargeError';
  }
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
  private readonly limits: ProduceLimits;
  private connected = false;

  constructor(options: KafkaPublisherOptions) {
    if (!options.kafka && !options.brokers?.length) throw new Error('KafkaPublisher needs brokers or a kafka client');
    const logger = options.logger ?? silentLogger;
    this.limits = validLimits({ ...defaultProduceLimits, ...options.limits });
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

  /**
   * Publishes messages to one topic with `acks: -1`; resolves once all in-sync replicas have
   * them. Split like {@link sendBatch}.
   */
  send(topic: string, messages: OutgoingMessage[]): Promise<RecordMetadata[]> {
    return this.sendBatch([{ topic, messages }]);
  }

  /**
   * Publishes to several topics. What is given is split into produce requests bounded by
   * {@link ProduceLimits}, sent one after another, so per-key (and per-partition) order holds
   * across requests. A failure rejects with the requests before it already acknowledged; a
   * caller that retries the whole call publishes those again (consumers deduplicate by id).
   * A message too large for any request is refused with {@link MessageTooLargeError} before
   * anything is sent.
   */
  async sendBatch(batches: TopicMessages[]): Promise<RecordMetadata[]> {
    const topicMessages = batches
      .filter((batch) => batch.messages.length > 0)
      .map((batch) => ({ topic: batch.topic, messages: batch.messages.map(toKafkaMessage) }));
    const results: RecordMetadata[] = [];
    for (const request of splitIntoRequests(topicMessages, this.limits)) {
      results.push(...(await this.producer.sendBatch({ acks: -1, topicMessages: request })));
    }
    return results;
  }
}

/**
 * Splits messages into consecutive produce requests within `limits`, keeping their order: each
 * request holds a contiguous run of the input, grouped per topic. Throws
 * {@link MessageTooLargeError} for a message above `maxMessageBytes`.
 */
export function splitIntoRequests(batches: KafkaTopicMessages[], limits: ProduceLimits): KafkaTopicMessages[][] {
  const requests: KafkaTopicMessages[][] = [];
  let request: KafkaTopicMessages[] = [];
  let requestBytes = 0;
  let requestMessages = 0;
  for (const { topic, messages } of batches) {
    for (const message of messages) {
      const size = encodedSize(message);
      if (size > limits.maxMessageBytes) {
        throw new MessageTooLargeError(topic, keyText(message.key), size, limits.maxMessageBytes);
      }
      const full =
        requestMessages > 0 &&
        (requestBytes + size > limits.maxRequestBytes || requestMessages + 1 > limits.maxRequestMessages);
      if (full) {
        requests.push(request);
        request = [];
        requestBytes = 0;
        requestMessages = 0;
      }
      const last = request[request.length - 1];
      if (last?.topic === topic) last.messages.push(message);
      else request.push({ topic, messages: [message] });
      requestBytes += size;
      requestMessages++;
    }
  }
  if (requestMessages > 0) requests.push(request);
  return requests;
}

// Record framing on the wire (length, attributes, timestamp and offset deltas, key and value
// lengths, header count), rounded up, so that many tiny messages are not undercounted.
const recordOverheadBytes = 40;
const headerOverheadBytes = 10;

/** Bytes a message takes in a produce request: key, value and headers plus their framing. */
export function encodedSize(message: Message): number {
  let size = recordOverheadBytes + byteLength(message.key) + byteLength(message.value);
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) size += headerOverheadBytes + Buffer.byteLength(name) + byteLength(item);
  }
  return size;
}

function byteLength(value: string | Buffer | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}

function keyText(key: Message['key']): string | null {
  if (key === null || key === undefined) return null;
  return typeof key === 'string' ? key : key.toString('utf8');
}

function validLimits(limits: ProduceLimits): ProduceLimits {
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`produce limit ${name} must be a positive integer`);
  }
  return limits;
}

function toKafkaMessage(message: OutgoingMessage): Message {
  return {
    key: message.key ?? null,
    value: encodeValue(message.value),
    headers: message.headers,
    partition: message.partition,
  };
}
