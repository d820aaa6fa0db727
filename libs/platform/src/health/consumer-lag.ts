/** How far one partition's committed offset of a consumer group is behind the partition's end. */
export interface PartitionLag {
  topic: string;
  partition: number;
  /** The next offset the group will read; absent while the group has committed nothing there. */
  committedOffset?: string;
  /** The partition's high watermark (offset of the next message to be written). */
  endOffset: string;
  /** Messages written and not yet committed by the group. */
  lag: number;
}

/** The lag of one consumer group over every partition of its topics (not only this instance's). */
export interface ConsumerGroupLag {
  groupId: string;
  /** Sum over the partitions. */
  lag: number;
  partitions: PartitionLag[];
  /** Set when the offsets could not be read; `partitions` then holds the last values read. */
  error?: string;
}

/** Reads consumer-group lag (from Kafka, on demand); the health endpoint and the metrics share it. */
export interface ConsumerLagSource {
  consumerLag(): Promise<ConsumerGroupLag[]>;
}

/** Injection token of the service's {@link ConsumerLagSource}; `/health/lag` answers empty without one. */
export const CONSUMER_LAG = Symbol('CONSUMER_LAG');
