export * from './event-store.port';
export * from './event-subscription.port';
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store.adapter';
export { InMemoryEventStore } from './in-memory/in-memory-event-store.adapter';
export { createRelay, type RelayOptions } from './relay/event-relay.factory';
export { cloudEventAttributesOf, relayMessageFor, type RelayMessage } from './relay/relay-message.mapper';
export { serializeEvent, serializeAppends, type SerializedEvent, type SerializedAppend } from './event-size.policy';
export { defaultMaxBatchBytes } from './postgres/postgres-subscription.queries';
export { NotificationListener, type NotificationHandler } from './postgres/notification-listener.adapter';
