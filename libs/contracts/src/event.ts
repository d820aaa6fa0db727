/** Correlation data carried by every event and message. */
export interface EventMetadata {
  correlationId?: string;
  causationId?: string;
  /** Who caused the event: a user name, or the service for automatic decisions. */
  actor?: string;
  [key: string]: unknown;
}

/** An event as written: plain data with an explicit, versioned type such as `RolloutStarted.v1`. */
export interface EventData<TType extends string = string, TData = unknown> {
  type: TType;
  data: TData;
  metadata?: EventMetadata;
  /** Optional id; the store assigns a UUID when absent. Reused ids make appends idempotent. */
  id?: string;
}

/** An event as read back from the store. */
export interface RecordedEvent<TType extends string = string, TData = unknown> {
  id: string;
  type: TType;
  data: TData;
  metadata: EventMetadata;
  streamName: string;
  /** Zero-based position of the event within its stream. */
  revision: number;
  /** Position in the store's global log. */
  position: bigint;
  createdAt: Date;
}
