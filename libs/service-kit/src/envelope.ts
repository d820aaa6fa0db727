import type { EventEnvelope, ParseResult, UpcasterRegistry } from '@fleetwave/contracts';

/**
 * An integration event as relayed to Kafka: `{ type, data, metadata }`. Narrow it with
 * `isEvent`/`isEventOf` from @fleetwave/contracts to get typed `data`.
 */
export interface Envelope extends EventEnvelope {
  metadata?: Record<string, unknown>;
}

/** What the kit's event consumers are given to read messages with: a parser and a relevance filter. */
export interface EnvelopeIntake {
  parse: (value: unknown) => ParseResult<Envelope>;
  relevant?: (event: Envelope) => boolean;
}

/**
 * Accepts any well-formed event envelope, as written; consumers pick the types they care for and
 * ignore the rest. The kit's consumers use {@link envelopeIntake}, which also upcasts.
 */
export function parseEnvelope(value: unknown): ParseResult<Envelope> {
  const envelope = value as Partial<Envelope> | null;
  return envelope && typeof envelope.type === 'string' && typeof envelope.data === 'object' && envelope.data !== null
    ? { ok: true, value: envelope as Envelope }
    : { ok: false, reason: 'not an event envelope { type, data }' };
}

/**
 * How the kit's event consumers read messages. Each well-formed envelope is brought to its
 * current version by `upcasters` as it is parsed, so a handler never sees an old version, and
 * `types` (when given) names current versions only: an old version is relevant exactly when
 * what it upcasts to is. An upcaster that throws makes the message invalid, like a parser that
 * throws: it is dead-lettered rather than blocking its partition.
 */
export function envelopeIntake(upcasters: Pick<UpcasterRegistry, 'upcast'>, types?: readonly string[]): EnvelopeIntake {
  return {
    parse: (value) => {
      const parsed = parseEnvelope(value);
      return parsed.ok ? { ok: true, value: upcasters.upcast(parsed.value) } : parsed;
    },
    // Envelopes of other types are settled without a transaction.
    relevant: types ? (event) => types.includes(event.type) : undefined,
  };
}
