import { toCloudEventHeaders, type CloudEventAttributes, type RecordedEvent } from '@fleetwave/contracts';

/** A broker-neutral message: the Kafka value, CloudEvents headers and, when chosen, the key. */
export interface RelayMessage {
  key?: string;
  value: string;
  headers: Record<string, string>;
}

/**
 * Builds the message for an event: value = JSON of `{ type, data, metadata }`, headers per the
 * CloudEvents Kafka binding (binary mode). The key is the caller's choice (the id whose order
 * matters, e.g. the rolloutId), so it is only set when given.
 */
export function relayMessageFor(event: RecordedEvent, source: string, key?: string): RelayMessage {
  const { type, data, metadata } = event;
  const headers = toCloudEventHeaders(cloudEventAttributesOf(event, source));
  const message: RelayMessage = { value: JSON.stringify({ type, data, metadata }), headers };
  return key === undefined ? message : { key, ...message };
}

/** The CloudEvents attributes a relayed event carries, in either content mode. */
export function cloudEventAttributesOf(event: RecordedEvent, source: string): CloudEventAttributes {
  return {
    id: event.id,
    type: event.type,
    source,
    time: event.createdAt.toISOString(),
    subject: event.streamName,
    streamRevision: event.revision,
    correlationId: event.metadata.correlationId,
    causationId: event.metadata.causationId,
  };
}
