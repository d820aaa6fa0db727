import type { EventMetadata } from '../event';
import type { EventEnvelope, IntegrationEventMap } from './integration-event.map';

/** Turns one version's data into the next version's; pure, and given the event's metadata for context. */
export type UpcastFn<TFrom = unknown, TTo = unknown> = (data: TFrom, metadata: EventMetadata) => TTo;

/** The data type of `TType` when the map knows it, else anything (an intermediate version). */
type DataOf<TMap, TType extends string> = TType extends keyof TMap ? TMap[TType] : unknown;

interface Step {
  to: string;
  upcast: UpcastFn;
}

/**
 * The upcaster seam: a breaking change to an event is a new version (`X.v2`) plus a function
 * from the old version's data to the new, registered here and applied when events are read,
 * so handlers only ever see current versions. Steps chain (`v1 → v2 → v3`). Events of a type
 * with no step pass through untouched, as the same object.
 *
 * ```ts
 * const upcasters = new UpcasterRegistry<IntegrationEventMap>()
 *   .register<{ rolloutId: number }, 'RolloutStarted.v2'>('RolloutStarted.v1', 'RolloutStarted.v2',
 *     (v1) => ({ ...v1, startedBy: 'unknown' }));
 * const current = upcasters.upcast(event);
 * ```
 */
export class UpcasterRegistry<TMap extends object = IntegrationEventMap> {
  private readonly steps = new Map<string, Step>();

  /** Registers the step from type `from` to type `to`; one step per `from`, never to itself. */
  register<TFrom = unknown, TTo extends string = string>(
    from: string,
    to: TTo,
    upcast: UpcastFn<TFrom, DataOf<TMap, TTo>>,
  ): this {
    if (from === to) throw new Error(`upcaster from ${from} to itself`);
    if (this.steps.has(from)) throw new Error(`an upcaster from ${from} is already registered`);
    this.steps.set(from, { to, upcast: upcast as UpcastFn });
    return this;
  }

  /** Whether events of `type` are rewritten when read. */
  handles(type: string): boolean {
    return this.steps.has(type);
  }

  /**
   * The event at its current version: every registered step from its type applied in turn, the
   * rest of the event (id, metadata, stream, position…) kept. Bound, so it can be passed as is.
   */
  readonly upcast = <TEvent extends EventEnvelope>(event: TEvent): TEvent => {
    let step = this.steps.get(event.type);
    if (!step) return event;
    let { type, data } = event as EventEnvelope;
    const metadata = (event.metadata ?? {}) as EventMetadata;
    // A cycle is possible only through registration mistakes; more steps than registered proves one.
    for (let applied = 0; step; applied++) {
      if (applied === this.steps.size) throw new Error(`upcasters from ${event.type} form a cycle`);
      data = step.upcast(data, metadata);
      type = step.to;
      step = this.steps.get(type);
    }
    return { ...event, type, data };
  };
}

/**
 * Upcasters of the integration events in this package. Empty while every event is at its first
 * version; a new version registers its step here, next to its schema.
 */
export function integrationEventUpcasters(): UpcasterRegistry<IntegrationEventMap> {
  return new UpcasterRegistry<IntegrationEventMap>();
}
