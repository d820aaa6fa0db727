import type { EventMetadata, RecordedEvent } from '@fleetwave/contracts';

/** The columns every event query selects, in the shape {@link toRecordedEvent} maps. */
export const eventColumns = 'position, stream_name, revision, event_id, type, data, metadata, created_at';

export interface EventRow {
  /** bigint arrives as a string: JavaScript numbers would lose precision past 2^53. */
  position: string;
  stream_name: string;
  revision: number;
  event_id: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
  created_at: Date;
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    streamName: row.stream_name,
    revision: row.revision,
    position: BigInt(row.position),
    createdAt: row.created_at,
  };
}
