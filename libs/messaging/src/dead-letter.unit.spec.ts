import type { KafkaMessage } from 'kafkajs';
import { deadLetterOf } from './dead-letter';

describe('deadLetterOf', () => {
  it('keeps key, value and headers and adds the reason and source coordinates', () => {
    const original: KafkaMessage = {
      key: Buffer.from('c1'),
      value: Buffer.from([0xff, 0x00]),
      offset: '12',
      timestamp: '0',
      attributes: 0,
      headers: { ce_id: Buffer.from('e1') },
    };
    expect(deadLetterOf('device.inbound.v1', 4, original, 'value is not JSON')).toEqual({
      topic: 'device.inbound.dlq.v1',
      messages: [
        {
          key: original.key,
          value: original.value,
          headers: {
            ce_id: Buffer.from('e1'),
            'dlq-reason': 'value is not JSON',
            'dlq-source-topic': 'device.inbound.v1',
            'dlq-source-partition': '4',
            'dlq-source-offset': '12',
          },
        },
      ],
    });
  });
});
