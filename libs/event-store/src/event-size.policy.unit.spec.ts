import { EventTooLargeError } from './event-store.port';
import { serializeAppends, serializeEvent } from './event-size.policy';

describe('serializeEvent', () => {
  it('measures the UTF-8 bytes of the relayed { type, data, metadata } value', () => {
    const cases = [
      { type: 'A.v1', data: { n: 1 } },
      { type: 'Ünïcode.v1', data: { text: 'é🚀', list: [1, null] }, metadata: { correlationId: 'ç' } },
      { type: 'Empty.v1', data: undefined },
    ];
    for (const event of cases) {
      const relayed = JSON.stringify({ type: event.type, data: event.data ?? null, metadata: event.metadata ?? {} });
      expect(serializeEvent(event).sizeBytes).toBe(Buffer.byteLength(relayed));
    }
  });

  it('keeps the data and metadata JSON for the write', () => {
    expect(serializeEvent({ type: 'A.v1', data: { n: 1 }, id: 'id-1' })).toEqual({
      id: 'id-1',
      type: 'A.v1',
      data: '{"n":1}',
      metadata: '{}',
      sizeBytes: Buffer.byteLength('{"type":"A.v1","data":{"n":1},"metadata":{}}'),
    });
  });
});

describe('serializeAppends', () => {
  it('refuses the whole call when one event is above the maximum', () => {
    const appends = [
      { streamName: 'a-1', events: [{ type: 'A.v1', data: {} }] },
      { streamName: 'b-1', events: [{ type: 'B.v1', data: { blob: 'x'.repeat(200) } }] },
    ];
    expect(() => serializeAppends(appends, 100)).toThrow(EventTooLargeError);
    expect(() => serializeAppends(appends, 100)).toThrow(
      /event B\.v1 for stream b-1 is \d+ bytes serialized, above the 100-byte maximum/,
    );
    expect(serializeAppends(appends, 1_000).map((a) => a.events.length)).toEqual([1, 1]);
  });
});
