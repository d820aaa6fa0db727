import type { EventEnvelope } from './integration-event.map';
import { eventGuard, isEvent, isEventOf } from './event-guard';

const envelope = (type: string, data: unknown): EventEnvelope => ({ type, data, metadata: {} });

describe('isEvent', () => {
  it('narrows by type, typing the data', () => {
    const event = envelope('RolloutStarted.v1', { rolloutId: 7, startedAt: 1_000, startedBy: 'ann' });
    if (!isEvent(event, 'RolloutStarted.v1')) throw new Error('expected a RolloutStarted.v1');
    const startedBy: string = event.data.startedBy;
    expect(startedBy).toBe('ann');
    // @ts-expect-error a RolloutStarted.v1 carries no groupId
    expect(event.data.groupId).toBeUndefined();
  });

  it('is false for any other type', () => {
    expect(isEvent(envelope('RolloutReady.v1', {}), 'RolloutStarted.v1')).toBe(false);
    expect(isEvent(envelope('RolloutStarted.v2', {}), 'RolloutStarted.v1')).toBe(false);
  });
});

describe('isEventOf', () => {
  it('narrows to the union of the given types', () => {
    const events = [
      envelope('RolloutGroupStarted.v1', { rolloutId: 1, groupId: 10, index: 1, startedAt: 5 }),
      envelope('ActionsScheduled.v1', { rolloutId: 1, groupId: 10, count: 3 }),
      envelope('RolloutFinished.v1', { rolloutId: 1, finishedAt: 9 }),
    ];
    const groupIds = events.filter((e) => isEventOf(e, ['RolloutGroupStarted.v1', 'ActionsScheduled.v1']));
    expect(
      groupIds.map((e) => (isEventOf(e, ['RolloutGroupStarted.v1', 'ActionsScheduled.v1']) ? e.data.groupId : 0)),
    ).toEqual([10, 10]);
  });
});

describe('eventGuard', () => {
  interface PrivateEventMap {
    'CounterIncremented.v1': { by: number };
  }
  const isPrivate = eventGuard<PrivateEventMap>();

  it('narrows events of another map', () => {
    const event = envelope('CounterIncremented.v1', { by: 2 });
    expect(isPrivate(event, 'CounterIncremented.v1') ? event.data.by : undefined).toBe(2);
    expect(isPrivate(envelope('Other.v1', {}), 'CounterIncremented.v1')).toBe(false);
  });
});
