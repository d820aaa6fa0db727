import type { KafkaMessage } from 'kafkajs';

/** Bounds of one slice of a fetched Kafka batch, applied in one Postgres transaction. */
export interface SliceLimits {
  maxMessages: number;
  maxBytes: number;
}

/** 500 messages or 1 MiB per transaction, whichever comes first. */
export const defaultSliceLimits: SliceLimits = { maxMessages: 500, maxBytes: 1_048_576 };

/** Bytes a message occupies for slicing: key, value and headers. */
export function messageBytes(message: KafkaMessage): number {
  let bytes = (message.key?.length ?? 0) + (message.value?.length ?? 0);
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    bytes += name.length;
    for (const part of Array.isArray(value) ? value : [value]) bytes += part === undefined ? 0 : part.length;
  }
  return bytes;
}

/**
 * Cuts a partition's fetched messages into consecutive slices, in order, each within both
 * limits; a single message larger than `maxBytes` still forms a slice of its own, so nothing is
 * ever left behind.
 */
export function sliceMessages(messages: KafkaMessage[], limits: SliceLimits): KafkaMessage[][] {
  const slices: KafkaMessage[][] = [];
  let current: KafkaMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = messageBytes(message);
    if (current.length > 0 && (current.length >= limits.maxMessages || bytes + size > limits.maxBytes)) {
      slices.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) slices.push(current);
  return slices;
}
