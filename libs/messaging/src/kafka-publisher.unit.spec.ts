import { encodeValue } from './kafka-publisher';

describe('encodeValue', () => {
  it('sends objects as JSON and strings, buffers and tombstones as they are', () => {
    const bytes = Buffer.from([1, 2]);
    expect(encodeValue({ type: 'RolloutStarted.v1' })).toBe('{"type":"RolloutStarted.v1"}');
    expect(encodeValue('raw')).toBe('raw');
    expect(encodeValue(bytes)).toBe(bytes);
    expect(encodeValue(null)).toBeNull();
  });
});
