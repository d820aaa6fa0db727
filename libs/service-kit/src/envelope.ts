import type { ParseResult } from '@fleetwave/contracts';

/** An integration event as relayed to Kafka: `{ type, data, metadata }`. */
export interface Envelope {
  type: string;
  data: unknown;
  metadata?: Record<string, unknown>;
}

/** Accepts any well-formed event envelope; consumers pick the types they care for and ignore the rest. */
export function parseEnvelope(value: unknown): ParseResult<Envelope> {
  const envelope = value as Partial<Envelope> | null;
  return envelope && typeof envelope.type === 'string' && typeof envelope.data === 'object' && envelope.data !== null
    ? { ok: true, value: envelope as Envelope }
    : { ok: false, reason: 'not an event envelope { type, data }' };
}
