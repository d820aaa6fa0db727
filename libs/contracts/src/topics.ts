/** Kafka topics of the cluster. Each integration topic has a dead-letter twin (see {@link dlqTopicOf}). */
export const Topics = {
  rolloutEvents: 'rollout.events.v1',
  rolloutGroupEvents: 'rollout-group.events.v1',
  actionEvents: 'action.events.v1',
  inventoryEvents: 'inventory.events.v1',
  deviceOutbound: 'device.outbound.v1',
  deviceInbound: 'device.inbound.v1',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

/** The dead-letter topic for a topic: `device.inbound.v1` → `device.inbound.dlq.v1`. */
export function dlqTopicOf(topic: string): string {
  const versioned = /^(.*)\.v(\d+)$/.exec(topic);
  return versioned ? `${versioned[1]}.dlq.v${versioned[2]}` : `${topic}.dlq`;
}

/** Every topic the cluster uses, dead-letter topics included; created up front by the infrastructure scripts. */
export const allTopics: string[] = Object.values(Topics).flatMap((topic) => [topic, dlqTopicOf(topic)]);
