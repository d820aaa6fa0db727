import { UpcasterRegistry, eventGuard } from '@fleetwave/contracts';
import type { BatchHandler, BatchItem } from '@fleetwave/messaging';
import { envelopeIntake, parseEnvelope, type Envelope } from './envelope';

interface TestEventMap {
  'ThingRenamed.v2': { thingId: number; name: { first: string; last: string } };
  'ThingDeleted.v1': { thingId: number };
}
const isTestEvent = eventGuard<TestEventMap>();

const upcasters = () =>
  new UpcasterRegistry<TestEventMap>().register<{ thingId: number; name: string }, 'ThingRenamed.v2'>(
    'ThingRenamed.v1',
    'ThingRenamed.v2',
    ({ thingId, name }) => {
      const [first, ...rest] = name.split(' ');
      return { thingId, name: { first, last: rest.join(' ') } };
    },
  );

/** Reads raw values as the kit's consumers do (parse, then the relevance filter) and hands the rest to `handler`. */
async function consume(raw: unknown[], handler: BatchHandler<Envelope>, types?: string[]) {
  const intake = envelopeIntake(upcasters(), types);
  const items: BatchItem<Envelope>[] = [];
  raw.forEach((value, offset) => {
    const parsed = intake.parse(value);
    if (!parsed.ok) throw new Error(parsed.reason);
    if (intake.relevant && !intake.relevant(parsed.value)) return;
    const messageId = `m-${offset}`;
    const context = { topic: 't', partition: 0, offset: String(offset), key: null, headers: {}, messageId };
    items.push({ message: parsed.value, context });
  });
  return handler(items, { topic: 't', partition: 0, tx: undefined as never });
}

describe('envelopeIntake', () => {
  const v1 = { type: 'ThingRenamed.v1', data: { thingId: 7, name: 'Ada King Lovelace' }, metadata: { actor: 'ann' } };

  it('hands the handler the current version of an old envelope, metadata kept', async () => {
    const seen: Envelope[] = [];
    await consume([v1], async (items) => void seen.push(...items.map((i) => i.message)));

    expect(seen).toEqual([
      {
        type: 'ThingRenamed.v2',
        data: { thingId: 7, name: { first: 'Ada', last: 'King Lovelace' } },
        metadata: { actor: 'ann' },
      },
    ]);
    const [event] = seen;
    expect(isTestEvent(event, 'ThingRenamed.v2') ? event.data.name.last : undefined).toBe('King Lovelace');
  });

  it('filters on current versions: an old envelope is relevant when what it upcasts to is', async () => {
    const deleted = { type: 'ThingDeleted.v1', data: { thingId: 7 } };
    const seen: string[] = [];
    await consume([v1, deleted], async (items) => void seen.push(...items.map((i) => i.message.type)), [
      'ThingRenamed.v2',
    ]);
    expect(seen).toEqual(['ThingRenamed.v2']);
  });

  it('passes envelopes of a type with no upcaster through as they are', () => {
    const deleted = { type: 'ThingDeleted.v1', data: { thingId: 7 } };
    expect(envelopeIntake(upcasters()).parse(deleted)).toEqual({ ok: true, value: deleted });
  });

  it('rejects what is not an envelope before any upcaster runs', () => {
    const intake = envelopeIntake(upcasters());
    expect(intake.parse({ type: 'ThingRenamed.v1' })).toEqual(parseEnvelope({ type: 'ThingRenamed.v1' }));
    expect(intake.parse(null).ok).toBe(false);
    expect(intake.relevant).toBeUndefined();
  });
});
