// The event store uses the platform's one transaction helper and SQLSTATE reader.
export { withTransaction as inTransaction, sqlState, SqlStates } from '@fleetwave/platform';
