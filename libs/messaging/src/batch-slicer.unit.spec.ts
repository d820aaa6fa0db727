import type { KafkaMessage } from 'kafkajs';
import { messageBytes, sliceMessages } from './batch-slicer';

const message = (offset: number, valueBytes: number): KafkaMessage =>
  ({
    offset: String(offset),
    key: Buffer.from('k'),
    value: Buffer.alloc(valueBytes, 'x'),
    headers: {},
    timestamp: '0',
    attributes: 0,
  }) as KafkaMessage;

const offsets = (slices: KafkaMessage[][]): string[][] => slices.map((slice) => slice.map((m) => m.offset));

describe('sliceMessages', () => {
  it('cuts by count, keeping Kafka order', () => {
    const messages = Array.from({ length: 7 }, (_, i) => message(i, 10));
    expect(offsets(sliceMessages(messages, { maxMessages: 3, maxBytes: 1_000_000 }))).toEqual([
      ['0', '1', '2'],
      ['3', '4', '5'],
      ['6'],
    ]);
  });

  it('cuts by bytes, and gives an oversized message a slice of its own', () => {
    const messages = [message(0, 40), message(1, 40), message(2, 500), message(3, 10)];
    // Each message also counts its one-byte key.
    expect(offsets(sliceMessages(messages, { maxMessages: 100, maxBytes: 100 }))).toEqual([['0', '1'], ['2'], ['3']]);
  });

  it('counts key, value and header bytes', () => {
    const withHeaders = {
      ...message(0, 5),
      headers: { ce_id: 'abc', multi: [Buffer.from('de'), 'f'] },
    } as KafkaMessage;
    expect(messageBytes(withHeaders)).toBe(1 + 5 + 'ce_id'.length + 3 + 'multi'.length + 3);
    expect(sliceMessages([], { maxMessages: 1, maxBytes: 1 })).toEqual([]);
  });
});
