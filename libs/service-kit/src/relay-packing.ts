import { CLOUD_EVENTS_BATCH_CONTENT_TYPE, toCloudEventBatchEntry, type RecordedEvent } from '@fleetwave/contracts';
import { cloudEventAttributesOf, relayMessageFor } from '@fleetwave/event-store';

/**
 * Where a relayed event goes: topic and key; `value` replaces the `{ type, data, metadata }`
 * envelope. With `batch`, the event may share one message with the other events of its topic
 * and key in the same relay pass (CloudEvents batched content mode): one record instead of one
 * per event, which is what consumers pay for most per small event.
 */
export interface RelayRoute {
  topic: string;
  key: string;
  value?: unknown;
  batch?: boolean;
}

/** A message the relay publishes. */
export interface RelayedMessage {
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** Largest batch value, in characters of JSON; well below the broker's limit even for non-ASCII text. */
export const defaultRelayBatchChars = 256 * 1024;

interface OpenBatch {
  message: RelayedMessage;
  entries: string[];
  chars: number;
}

/**
 * The messages for a relay pass, per topic. Events keep their order within a key: a key's batch
 * closes when it is full or when an event of the same topic and key goes alone, and a batch
 * takes the place of its first event among the topic's messages. Returns how many events were
 * routed (the rest have no route and are not published).
 */
export function packRelayMessages(
  events: readonly RecordedEvent[],
  route: (event: RecordedEvent) => RelayRoute | undefined,
  source: string,
  maxBatchChars = defaultRelayBatchChars,
): { byTopic: Map<string, RelayedMessage[]>; routed: number } {
  const byTopic = new Map<string, RelayedMessage[]>();
  const open = new Map<string, OpenBatch>();
  const append = (topic: string, message: RelayedMessage) => {
    const list = byTopic.get(topic) ?? [];
    list.push(message);
    byTopic.set(topic, list);
  };
  const close = (slot: string) => {
    const batch = open.get(slot);
    if (!batch) return;
    batch.message.value = `[${batch.entries.join(',')}]`;
    open.delete(slot);
  };
  let routed = 0;
  for (const event of events) {
    const target = route(event);
    if (!target) continue;
    routed++;
    const slot = `${target.topic}\u0000${target.key}`;
    if (!target.batch) {
      close(slot);
      const message = relayMessageFor(event, source);
      const value = target.value === undefined ? message.value : JSON.stringify(target.value);
      append(target.topic, { key: target.key, value, headers: message.headers });
      continue;
    }
    const { type, data, metadata } = event;
    const entry = JSON.stringify(
      toCloudEventBatchEntry(cloudEventAttributesOf(event, source), { type, data, metadata }),
    );
    const current = open.get(slot);
    // A batch's value is "[" + entries joined by "," + "]".
    if (current && current.chars + 1 + entry.length > maxBatchChars) close(slot);
    let batch = open.get(slot);
    if (!batch) {
      batch = {
        message: { key: target.key, value: '', headers: { 'content-type': CLOUD_EVENTS_BATCH_CONTENT_TYPE } },
        entries: [],
        chars: 2,
      };
      open.set(slot, batch);
      append(target.topic, batch.message);
    }
    batch.chars += entry.length + (batch.entries.length > 0 ? 1 : 0);
    batch.entries.push(entry);
  }
  for (const slot of [...open.keys()]) close(slot);
  return { byTopic, routed };
}
