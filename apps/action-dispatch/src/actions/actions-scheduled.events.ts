import type { ActionsScheduledV1, ScheduledAction } from '@fleetwave/contracts';

/**
 * Bytes of scheduled actions one ActionsScheduled.v1 carries at most: a quarter of the event
 * store's default event limit, so one creation chunk becomes a few events of modest size that
 * any relay batch and any consumer transaction take easily, whatever the controllerIds' lengths.
 */
export const SCHEDULED_EVENT_MAX_BYTES = 64 * 1024;

/**
 * The ActionsScheduled.v1 events recording `actions` of one group: the actions in order, split
 * into consecutive events of at most `maxBytes` of action entries (at least one action each),
 * each with its own count so that the counts still add up to the actions created.
 */
export function actionsScheduledEvents(
  target: { rolloutId: number; groupId: number },
  actions: readonly ScheduledAction[],
  scheduledAt: number,
  maxBytes = SCHEDULED_EVENT_MAX_BYTES,
): { type: 'ActionsScheduled.v1'; data: ActionsScheduledV1 }[] {
  const events: { type: 'ActionsScheduled.v1'; data: ActionsScheduledV1 }[] = [];
  let part: ScheduledAction[] = [];
  let bytes = 0;
  const flush = () => {
    if (part.length === 0) return;
    events.push({ type: 'ActionsScheduled.v1', data: { ...target, count: part.length, actions: part, scheduledAt } });
    part = [];
    bytes = 0;
  };
  for (const action of actions) {
    const entry = { actionId: action.actionId, targetId: action.targetId, controllerId: action.controllerId };
    // The entry as serialized, and the comma before it.
    const size = Buffer.byteLength(JSON.stringify(entry)) + 1;
    if (bytes + size > maxBytes) flush();
    part.push(entry);
    bytes += size;
  }
  flush();
  return events;
}
