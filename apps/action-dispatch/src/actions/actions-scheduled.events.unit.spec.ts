import type { ScheduledAction } from '@fleetwave/contracts';
import { actionsScheduledEvents } from './actions-scheduled.events';

const target = { rolloutId: 7, groupId: 8 };
const actionsOf = (count: number, controllerId = (i: number) => `dev-${i}`): ScheduledAction[] =>
  Array.from({ length: count }, (_, i) => ({ actionId: 100 + i, targetId: 1_000 + i, controllerId: controllerId(i) }));

describe('ActionsScheduled.v1 events of a creation chunk', () => {
  it('carries every action once, in order, with counts that add up, each event within the byte bound', () => {
    const actions = actionsOf(2_500, (i) => `device-with-a-long-name-${'x'.repeat(i % 200)}-${i}`);
    const maxBytes = 16 * 1024;
    const events = actionsScheduledEvents(target, actions, 5_000, maxBytes);

    expect(events.length).toBeGreaterThan(1);
    expect(events.flatMap((e) => e.data.actions)).toEqual(actions);
    for (const { type, data } of events) {
      expect(type).toBe('ActionsScheduled.v1');
      expect(data).toMatchObject({ rolloutId: 7, groupId: 8, scheduledAt: 5_000, count: data.actions?.length });
      expect(Buffer.byteLength(JSON.stringify(data.actions))).toBeLessThanOrEqual(maxBytes);
    }
  });

  it('puts a small chunk in one event and appends nothing for no actions', () => {
    const actions = actionsOf(3);
    expect(actionsScheduledEvents(target, actions, 1)).toEqual([
      { type: 'ActionsScheduled.v1', data: { rolloutId: 7, groupId: 8, count: 3, actions, scheduledAt: 1 } },
    ]);
    expect(actionsScheduledEvents(target, [], 1)).toEqual([]);
  });

  it('gives an action larger than the bound an event of its own', () => {
    const actions = actionsOf(3, (i) => (i === 1 ? 'y'.repeat(300) : `d${i}`));
    const events = actionsScheduledEvents(target, actions, 1, 200);
    expect(events.map((e) => e.data.actions?.map((a) => a.actionId))).toEqual([[100], [101], [102]]);
  });
});
