import type { Kafka, Message, ProducerBatch, RecordMetadata, TopicMessages } from 'kafkajs';
import {
  defaultProduceLimits,
  encodedSize,
  encodeValue,
  KafkaPublisher,
  MessageTooLargeError,
  splitIntoRequests,
  type ProduceLimits,
} from './kafka-publisher';

describe('encodeValue', () => {
  it('sends objects as JSON and strings, buffers and tombstones as they are', () => {
    const bytes = Buffer.from([1, 2]);
    expect(encodeValue({ type: 'RolloutStarted.v1' })).toBe('{"type":"RolloutStarted.v1"}');
    expect(encodeValue('raw')).toBe('raw');
    expect(encodeValue(bytes)).toBe(bytes);
    expect(encodeValue(null)).toBeNull();
  });
});

describe('encodedSize', () => {
  it('counts key, value and header bytes (UTF-8) plus framing', () => {
    const bare = encodedSize({ key: null, value: null });
    expect(encodedSize({ key: 'ab', value: 'é' })).toBe(bare + 2 + 2);
    expect(encodedSize({ key: Buffer.alloc(5), value: 'x', headers: { h: ['12', Buffer.alloc(3)] } })).toBeGreaterThan(
      bare + 5 + 1 + 2 * 1 + 2 + 3,
    );
  });
});

const message = (key: string, n: number, bytes = 100): Message => ({ key, value: `${n}:`.padEnd(bytes, 'x') });
const limits = (overrides: Partial<ProduceLimits>): ProduceLimits => ({ ...defaultProduceLimits, ...overrides });
const flatten = (requests: TopicMessages[][]): { topic: string; value: string }[] =>
  requests.flatMap((request) =>
    request.flatMap(({ topic, messages }) => messages.map((m) => ({ topic, value: String(m.value) }))),
  );
const requestBytes = (request: TopicMessages[]): number =>
  request.reduce((sum, { messages }) => sum + messages.reduce((s, m) => s + encodedSize(m), 0), 0);

describe('splitIntoRequests', () => {
  it('keeps everything in one request when it fits', () => {
    const batches = [{ topic: 't', messages: [message('a', 1), message('b', 2)] }];
    expect(splitIntoRequests(batches, defaultProduceLimits)).toEqual([batches]);
  });

  it('bounds every request by bytes and keeps the input order across requests', () => {
    const messages = Array.from({ length: 200 }, (_, n) => message(`k${n % 3}`, n, 20_000));
    const bound = limits({ maxRequestBytes: 100_000 });
    const requests = splitIntoRequests([{ topic: 't', messages }], bound);
    expect(requests.length).toBeGreaterThan(40);
    for (const request of requests) expect(requestBytes(request)).toBeLessThanOrEqual(bound.maxRequestBytes);
    expect(flatten(requests).map((m) => m.value)).toEqual(messages.map((m) => m.value));
  });

  it('bounds every request by message count', () => {
    const messages = Array.from({ length: 25 }, (_, n) => message('k', n));
    const requests = splitIntoRequests([{ topic: 't', messages }], limits({ maxRequestMessages: 10 }));
    expect(requests.map((r) => r[0].messages.length)).toEqual([10, 10, 5]);
  });

  it('groups per topic inside a request and spans topics across requests', () => {
    const a = Array.from({ length: 3 }, (_, n) => message('k', n, 400));
    const b = Array.from({ length: 3 }, (_, n) => message('k', 10 + n, 400));
    const bound = limits({ maxRequestBytes: 2 * encodedSize(a[0]) });
    const requests = splitIntoRequests(
      [
        { topic: 'a', messages: a },
        { topic: 'b', messages: b },
      ],
      bound,
    );
    expect(requests.map((r) => r.map(({ topic, messages }) => `${topic}×${messages.length}`))).toEqual([
      ['a×2'],
      ['a×1', 'b×1'],
      ['b×2'],
    ]);
  });

  it('sends a message above the request bound but within the message bound on its own', () => {
    const big = message('k', 2, 3_000);
    const requests = splitIntoRequests(
      [{ topic: 't', messages: [message('k', 1), big, message('k', 3)] }],
      limits({ maxRequestBytes: 1_000, maxMessageBytes: 4_000 }),
    );
    expect(requests.map((r) => r[0].messages.length)).toEqual([1, 1, 1]);
  });

  it('refuses a message above the message bound, naming topic, key and size', () => {
    const batches = [{ topic: 'rollout.events.v1', messages: [message('42', 1), message('43', 2, 5_000)] }];
    const bound = limits({ maxMessageBytes: 4_000 });
    expect(() => splitIntoRequests(batches, bound)).toThrow(MessageTooLargeError);
    expect(() => splitIntoRequests(batches, bound)).toThrow(
      `message to rollout.events.v1 with key 43 is ${encodedSize(batches[0].messages[1])} bytes, above the 4000-byte maximum`,
    );
  });
});

/** Records the requests a publisher makes, answering each once the previous one was answered. */
class RecordingProducer {
  readonly requests: ProducerBatch[] = [];
  inFlight = 0;
  maxInFlight = 0;
  readonly events = { CONNECT: 'connect', DISCONNECT: 'disconnect' };
  on(): void {}
  async sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    this.requests.push(batch);
    await new Promise((resolve) => setImmediate(resolve));
    this.inFlight--;
    return (batch.topicMessages ?? []).map(({ topic }) => ({ topicName: topic, partition: 0, errorCode: 0 }));
  }
}

describe('KafkaPublisher', () => {
  const publisherWith = (producer: RecordingProducer, bound: Partial<ProduceLimits>): KafkaPublisher =>
    new KafkaPublisher({ kafka: { producer: () => producer } as unknown as Kafka, limits: bound });

  it('sends a large batch as sequential, bounded requests with acks from all replicas', async () => {
    const producer = new RecordingProducer();
    const publisher = publisherWith(producer, { maxRequestBytes: 50_000 });
    const values = Array.from({ length: 30 }, (_, n) => ({ n, blob: 'x'.repeat(10_000) }));
    await publisher.sendBatch([{ topic: 't', messages: values.map((value) => ({ key: 'one-key', value })) }]);
    expect(producer.requests.length).toBeGreaterThanOrEqual(7);
    expect(producer.maxInFlight).toBe(1);
    expect(producer.requests.every((r) => r.acks === -1)).toBe(true);
    const sent = producer.requests.flatMap((r) => (r.topicMessages ?? []).flatMap((t) => t.messages));
    expect(sent.map((m) => JSON.parse(String(m.value)).n)).toEqual(values.map((v) => v.n));
  });

  it('sends nothing when one message is too large', async () => {
    const producer = new RecordingProducer();
    const publisher = publisherWith(producer, { maxMessageBytes: 1_000 });
    await expect(
      publisher.send('t', [
        { key: 'a', value: 'small' },
        { key: 'b', value: 'x'.repeat(2_000) },
      ]),
    ).rejects.toMatchObject({ code: 'MESSAGING.MESSAGE_TOO_LARGE', topic: 't', key: 'b' });
    expect(producer.requests).toHaveLength(0);
  });

  it('refuses limits that are not positive integers', () => {
    expect(() => publisherWith(new RecordingProducer(), { maxRequestBytes: 0 })).toThrow(/maxRequestBytes/);
  });
});
