import type { IHeaders, KafkaMessage } from 'kafkajs';
import { fromCloudEventHeaders, type CloudEventAttributes, type ParseResult } from '@fleetwave/contracts';

/** Where a consumed message came from and how it is identified; given to `parse` and `handle`. */
export interface MessageContext {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: IHeaders;
  /** The CloudEvents `ce_id` header when present, else `topic:partition:offset`. */
  messageId: string;
  /** The CloudEvents attributes when the producer set the mandatory `ce_*` headers. */
  cloudEvent?: CloudEventAttributes;
}

/** Reads the context of a consumed message. */
export function messageContextOf(topic: string, partition: number, message: KafkaMessage): MessageContext {
  const headers = message.headers ?? {};
  const cloudEvent = fromCloudEventHeaders(headers);
  const ceId = headerText(headers, 'ce_id');
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key === null ? null : message.key.toString('utf8'),
    headers,
    // A ce_id survives re-publishing (relay retries, replays); the offset does not.
    messageId: ceId || `${topic}:${partition}:${message.offset}`,
    cloudEvent,
  };
}

/** The first value of a header as text, or undefined. */
export function headerText(headers: IHeaders, name: string): string | undefined {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

/** Decodes a message value as UTF-8 JSON; a failure carries the reason used for dead-lettering. */
export function decodeJson(value: Buffer | null): ParseResult<unknown> {
  if (value === null) return { ok: false, reason: 'value is empty (tombstone)' };
  try {
    return { ok: true, value: JSON.parse(value.toString('utf8')) as unknown };
  } catch (error) {
    return { ok: false, reason: `value is not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}
