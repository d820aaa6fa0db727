import type { EventEnvelope, IntegrationEventMap, IntegrationEventType } from './integration-event.map';

/** `event` narrowed to the type `TType` of map `TMap`: `data` gets that type's shape. */
export type Narrowed<TEvent, TMap, TType extends keyof TMap> = TEvent & { type: TType; data: TMap[TType] };

/**
 * Narrows an envelope by its type string, so that `event.data` is typed without a cast:
 * `if (isEvent(event, 'RolloutStarted.v1')) event.data.startedAt`. It checks the type only: the
 * data is trusted to match it, as every producer writes through the same contract (and old
 * versions are upcast before they reach a handler).
 */
export function isEvent<TEvent extends EventEnvelope, TType extends IntegrationEventType>(
  event: TEvent,
  type: TType,
): event is Narrowed<TEvent, IntegrationEventMap, TType> {
  return event.type === type;
}

/** Like {@link isEvent} for any of several types: `data` becomes the union of their shapes. */
export function isEventOf<TEvent extends EventEnvelope, TType extends IntegrationEventType>(
  event: TEvent,
  types: readonly TType[],
): event is Narrowed<TEvent, IntegrationEventMap, TType> {
  return (types as readonly string[]).includes(event.type);
}

/**
 * {@link isEvent} for another map, e.g. a service's private events:
 * `const isGroupEvent = eventGuard<GroupWorkflowEventMap>()`.
 */
export function eventGuard<TMap extends object>() {
  return <TEvent extends EventEnvelope, TType extends keyof TMap & string>(
    event: TEvent,
    type: TType,
  ): event is Narrowed<TEvent, TMap, TType> => event.type === type;
}
