import { CLOUD_EVENTS_BATCH_CONTENT_TYPE, fromCloudEventBatchEntry, type RecordedEvent } from '@fleetwave/contracts';
import { packRelayMessages, type RelayRoute } from './relay-packing';

let position = 0n;
const event = (type: string, data: { rolloutId: number; n: number }): RecordedEvent => ({
  id: `00000000-0000-7000-8000-${String(++position).padStart(12, '0')}`,
  type,
  data,
  metadata: { correlationId: 'c-1' },
  streamName: `action-${data.n}`,
  revision: 2,
  position,
  createdAt: new Date('2026-01-01T00:00:00.000Z'),
});

const route = (event: RecordedEvent): RelayRoute | undefined => {
  const { rolloutId } = event.data as { rolloutId: number };
  if (event.type === 'Skipped.v1') return undefined;
  if (event.type === 'Alone.v1') return { topic: 'alone', key: String(rolloutId), value: { n: 1 } };
  return { topic: 'events', key: String(rolloutId), batch: event.type !== 'Unbatched.v1' };
};

/** What each message of a topic holds: the ids of its events, or its own id when it goes alone. */
const contents = (messages: { key: string; value: string; headers: Record<string, string> }[]) =>
  messages.map((m) =>
    m.headers['content-type'] === CLOUD_EVENTS_BATCH_CONTENT_TYPE
      ? { key: m.key, batch: (JSON.parse(m.value) as unknown[]).map((e) => (e as { subject: string }).subject) }
      : { key: m.key, alone: m.headers.ce_subject },
  );

describe('packRelayMessages', () => {
  it('packs the events of one key into one message each, in order, keys apart', () => {
    const events = [1, 2, 3, 4, 5].map((n) => event('Changed.v1', { rolloutId: n % 2, n }));

    const { byTopic, routed } = packRelayMessages(events, route, 'fleetwave/test');

    expect(routed).toBe(5);
    expect(contents(byTopic.get('events') ?? [])).toEqual([
      { key: '1', batch: ['action-1', 'action-3', 'action-5'] },
      { key: '0', batch: ['action-2', 'action-4'] },
    ]);
  });

  it('carries every attribute and the envelope of each event', () => {
    const [e] = [event('Changed.v1', { rolloutId: 7, n: 9 })];

    const [message] = packRelayMessages([e], route, 'fleetwave/test').byTopic.get('events') ?? [];

    const [entry] = JSON.parse(message.value) as unknown[];
    expect(fromCloudEventBatchEntry(entry)).toEqual({
      ok: true,
      attributes: {
        id: e.id,
        type: 'Changed.v1',
        source: 'fleetwave/test',
        time: '2026-01-01T00:00:00.000Z',
        subject: 'action-9',
        streamRevision: 2,
        correlationId: 'c-1',
        causationId: undefined,
      },
      data: { type: 'Changed.v1', data: { rolloutId: 7, n: 9 }, metadata: { correlationId: 'c-1' } },
    });
  });

  it('closes a key batch before an event of that key that goes alone, so the key keeps its order', () => {
    const events = [
      event('Changed.v1', { rolloutId: 1, n: 1 }),
      event('Changed.v1', { rolloutId: 2, n: 2 }),
      event('Unbatched.v1', { rolloutId: 1, n: 3 }),
      event('Changed.v1', { rolloutId: 1, n: 4 }),
      event('Changed.v1', { rolloutId: 2, n: 5 }),
      event('Skipped.v1', { rolloutId: 1, n: 6 }),
      event('Alone.v1', { rolloutId: 1, n: 7 }),
    ];

    const { byTopic, routed } = packRelayMessages(events, route, 'fleetwave/test');

    expect(routed).toBe(6);
    expect(contents(byTopic.get('events') ?? [])).toEqual([
      { key: '1', batch: ['action-1'] },
      { key: '2', batch: ['action-2', 'action-5'] },
      { key: '1', alone: 'action-3' },
      { key: '1', batch: ['action-4'] },
    ]);
    expect(byTopic.get('alone')?.map((m) => m.value)).toEqual(['{"n":1}']);
  });

  it('starts a new batch when the next event would take it past its size', () => {
    const events = [1, 2, 3, 4, 5].map((n) => event('Changed.v1', { rolloutId: 1, n }));
    const one = JSON.parse(packRelayMessages(events.slice(0, 1), route, 's').byTopic.get('events')![0].value);
    const entryChars = JSON.stringify(one[0]).length;

    const { byTopic } = packRelayMessages(events, route, 's', 2 * entryChars + 3);

    expect(contents(byTopic.get('events') ?? []).map((m) => m.batch)).toEqual([
      ['action-1', 'action-2'],
      ['action-3', 'action-4'],
      ['action-5'],
    ]);
    expect(byTopic.get('events')!.every((m) => m.value.length <= 2 * entryChars + 3)).toBe(true);
  });
});
