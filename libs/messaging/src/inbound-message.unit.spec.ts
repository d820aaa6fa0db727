import type { IHeaders, KafkaMessage } from 'kafkajs';
import { decodeJson, messageContextOf } from './inbound-message';

const message = (headers: IHeaders, value: string | null = '{}'): KafkaMessage => ({
  key: Buffer.from('controller-7'),
  value: value === null ? null : Buffer.from(value),
  offset: '41',
  timestamp: '0',
  attributes: 0,
  headers,
});

describe('messageContextOf', () => {
  it('identifies a CloudEvent by its ce_id and reads its attributes', () => {
    const ctx = messageContextOf(
      'device.inbound.v1',
      3,
      message({ ce_id: Buffer.from('evt-1'), ce_type: Buffer.from('Ping.v1') }),
    );
    expect(ctx).toMatchObject({ messageId: 'evt-1', key: 'controller-7', offset: '41', partition: 3 });
    expect(ctx.cloudEvent).toMatchObject({ id: 'evt-1', type: 'Ping.v1' });
  });

  it('falls back to topic:partition:offset without a ce_id', () => {
    const ctx = messageContextOf('device.inbound.v1', 3, message({}));
    expect(ctx.messageId).toBe('device.inbound.v1:3:41');
    expect(ctx.cloudEvent).toBeUndefined();
  });
});

describe('decodeJson', () => {
  it('decodes JSON and names what is wrong otherwise', () => {
    expect(decodeJson(Buffer.from('{"a":1}'))).toEqual({ ok: true, value: { a: 1 } });
    expect(decodeJson(Buffer.from('{"a":'))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^value is not JSON/),
    });
    expect(decodeJson(null)).toEqual({ ok: false, reason: 'value is empty (tombstone)' });
  });
});
