import type { EventMetadata } from '../event';
import type { ActionEventMap } from './action-events';
import type { InventoryEventMap } from './inventory-events';
import type { RolloutGroupEventMap } from './rollout-group-events';
import type { RolloutEventMap } from './rollout-events';

/**
 * Every integration event type on the Kafka topics, mapped to the type of its `data`. A new
 * version of an event is a new entry (`RolloutStarted.v2`); the old entry stays for as long as
 * an upcaster turns it into the new one.
 */
export interface IntegrationEventMap extends RolloutEventMap, RolloutGroupEventMap, ActionEventMap, InventoryEventMap {}

export type IntegrationEventType = keyof IntegrationEventMap;

/** The shape every event takes on the wire and in the store: `{ type, data, metadata }`. */
export interface EventEnvelope<TType extends string = string, TData = unknown> {
  type: TType;
  data: TData;
  metadata?: EventMetadata | Record<string, unknown>;
}

/** A union of envelopes, one per type in `TMap` (all of them by default), discriminated by `type`. */
export type TypedEvent<TMap extends object = IntegrationEventMap, TType extends keyof TMap = keyof TMap> = {
  [K in TType]: EventEnvelope<K & string, TMap[K]>;
}[TType];

/** An integration event of the given type(s), with typed data. */
export type IntegrationEvent<TType extends IntegrationEventType = IntegrationEventType> = TypedEvent<
  IntegrationEventMap,
  TType
>;
