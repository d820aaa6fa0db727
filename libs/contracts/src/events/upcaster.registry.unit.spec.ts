import type { RecordedEvent } from '../event';
import { UpcasterRegistry, integrationEventUpcasters } from './upcaster.registry';

interface MapWithVersions {
  'Renamed.v3': { fullName: string; tags: string[] };
  'Kept.v1': { n: number };
}

const recorded = (type: string, data: unknown): RecordedEvent => ({
  id: 'a1b2',
  type,
  data,
  metadata: { correlationId: 'c-1', actor: 'ann' },
  streamName: 'demo-1',
  revision: 4,
  position: 17n,
  createdAt: new Date('2026-01-01T00:00:00Z'),
});

const registry = (): UpcasterRegistry<MapWithVersions> =>
  new UpcasterRegistry<MapWithVersions>()
    .register<{ first: string; last: string }, 'Renamed.v2'>('Renamed.v1', 'Renamed.v2', ({ first, last }) => ({
      fullName: `${first} ${last}`,
    }))
    .register<{ fullName: string }, 'Renamed.v3'>('Renamed.v2', 'Renamed.v3', (v2, metadata) => ({
      fullName: v2.fullName,
      tags: [String(metadata.actor)],
    }));

describe('UpcasterRegistry', () => {
  it('chains steps to the current version, keeping the rest of the event', () => {
    const upcast = registry().upcast;
    expect(upcast(recorded('Renamed.v1', { first: 'Ada', last: 'Lovelace' }))).toEqual({
      ...recorded('Renamed.v3', { fullName: 'Ada Lovelace', tags: ['ann'] }),
    });
    expect(upcast(recorded('Renamed.v2', { fullName: 'Ada L' })).data).toEqual({ fullName: 'Ada L', tags: ['ann'] });
  });

  it('returns events with no step unchanged, as the same object', () => {
    const event = recorded('Kept.v1', { n: 1 });
    expect(registry().upcast(event)).toBe(event);
    expect(registry().handles('Kept.v1')).toBe(false);
    expect(registry().handles('Renamed.v1')).toBe(true);
  });

  it('does not alter the event it was given', () => {
    const event = recorded('Renamed.v1', { first: 'Ada', last: 'Lovelace' });
    registry().upcast(event);
    expect(event).toEqual(recorded('Renamed.v1', { first: 'Ada', last: 'Lovelace' }));
  });

  it('refuses a second step from the same type and a step to itself', () => {
    expect(() => registry().register('Renamed.v1', 'Renamed.v3', () => ({ fullName: '', tags: [] }))).toThrow(
      /already registered/,
    );
    expect(() => new UpcasterRegistry().register('X.v1', 'X.v1', (d) => d)).toThrow(/itself/);
  });

  it('detects a cycle instead of looping', () => {
    const cyclic = new UpcasterRegistry().register('A.v1', 'A.v2', (d) => d).register('A.v2', 'A.v1', (d) => d);
    expect(() => cyclic.upcast(recorded('A.v1', {}))).toThrow(/cycle/);
  });

  it('starts empty for the integration events, which are all at their first version', () => {
    const event = recorded('RolloutStarted.v1', { rolloutId: 1, startedAt: 2, startedBy: 'ann' });
    expect(integrationEventUpcasters().upcast(event)).toBe(event);
  });
});
