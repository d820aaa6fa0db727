export * from './service-kit';
export { defaultRelayBatchChars, packRelayMessages, type RelayRoute, type RelayedMessage } from './relay-packing';
export * from './envelope';
export * from './service-kit.providers';
