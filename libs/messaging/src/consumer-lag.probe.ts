import type { Admin } from 'kafkajs';
import type { ConsumerGroupLag, PartitionLag } from '@fleetwave/platform';
import { errorMessage } from './messaging-logger';

/** A consumer group and the topics it reads. */
export interface LagTarget {
  groupId: string;
  topics: readonly string[];
}

/** Options of {@link ConsumerLagProbe}. */
export interface ConsumerLagProbeOptions {
  /** A read younger than this is answered again instead of asking Kafka (default 1 s): scrapes and probes share it. */
  maxAgeMs?: number;
  /** A read taking longer fails with the last values kept (default 3 s), so a scrape never hangs on Kafka. */
  timeoutMs?: number;
  now?: () => number;
}

/**
 * Reads consumer-group lag from Kafka's own bookkeeping (committed offsets against each
 * partition's high watermark) with an admin client, only when asked (a scrape or a health
 * probe), so consuming pays nothing for it. It covers every partition of the group's topics,
 * whichever instance owns them, and shows a stuck consumer's growing lag, which a figure taken
 * from fetched batches could not. Lag counts from the committed offset, so it trails
 * processing by up to the auto-commit interval.
 */
export class ConsumerLagProbe {
  private last: ConsumerGroupLag[] = [];
  private lastAt = Number.NEGATIVE_INFINITY;
  private inFlight?: Promise<ConsumerGroupLag[]>;
  private connected?: Promise<void>;
  private readonly maxAgeMs: number;
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(
    private readonly admin: Admin,
    private readonly targets: () => readonly LagTarget[],
    options: ConsumerLagProbeOptions = {},
  ) {
    this.maxAgeMs = options.maxAgeMs ?? 1_000;
    this.timeoutMs = options.timeoutMs ?? 3_000;
    this.now = options.now ?? Date.now;
  }

  /** Lag of every target group; on failure, the last values read with the error. */
  lag(): Promise<ConsumerGroupLag[]> {
    if (this.now() - this.lastAt < this.maxAgeMs) return Promise.resolve(this.last);
    this.inFlight ??= this.readWithTimeout()
      .then(
        (lag) => {
          this.last = lag;
          this.lastAt = this.now();
          return lag;
        },
        (error: unknown) => this.targets().map((t) => this.failed(t.groupId, errorMessage(error))),
      )
      .finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  /** Disconnects the admin client, if it was connected. */
  async close(): Promise<void> {
    if (this.connected) await this.admin.disconnect().catch(() => undefined);
    this.connected = undefined;
  }

  private failed(groupId: string, error: string): ConsumerGroupLag {
    const previous = this.last.find((g) => g.groupId === groupId);
    return { groupId, lag: previous?.lag ?? 0, partitions: previous?.partitions ?? [], error };
  }

  private async readWithTimeout(): Promise<ConsumerGroupLag[]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`reading offsets took over ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      return await Promise.race([this.read(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async read(): Promise<ConsumerGroupLag[]> {
    const targets = this.targets();
    if (targets.length === 0) return [];
    this.connected ??= this.admin.connect().catch((error: unknown) => {
      this.connected = undefined;
      throw error;
    });
    await this.connected;
    const topics = [...new Set(targets.flatMap((t) => t.topics))];
    // A topic that cannot be read (not created yet) fails only the groups reading it.
    const ends = new Map(
      await Promise.all(
        topics.map(async (topic) => [topic, await this.admin.fetchTopicOffsets(topic).catch(asError)] as const),
      ),
    );
    return Promise.all(
      targets.map(async ({ groupId, topics: groupTopics }): Promise<ConsumerGroupLag> => {
        try {
          const committed = await this.admin.fetchOffsets({ groupId, topics: [...groupTopics] });
          const partitions = committed.flatMap(({ topic, partitions: parts }) => {
            const end = ends.get(topic) ?? [];
            if (end instanceof Error) throw end;
            const byPartition = new Map(end.map((p) => [p.partition, p]));
            return parts.map(({ partition, offset }) =>
              partitionLag(topic, partition, offset, byPartition.get(partition)),
            );
          });
          partitions.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
          return { groupId, lag: partitions.reduce((sum, p) => sum + p.lag, 0), partitions };
        } catch (error) {
          return this.failed(groupId, errorMessage(error));
        }
      }),
    );
  }
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/** One partition's lag; without a commit the group starts from the oldest retained message. */
function partitionLag(
  topic: string,
  partition: number,
  committed: string,
  end: { high?: string; offset: string; low?: string } | undefined,
): PartitionLag {
  const high = BigInt(end?.high ?? end?.offset ?? '0');
  const hasCommit = BigInt(committed) >= 0n;
  const from = hasCommit ? BigInt(committed) : BigInt(end?.low ?? '0');
  return {
    topic,
    partition,
    ...(hasCommit ? { committedOffset: committed } : {}),
    endOffset: high.toString(),
    lag: high > from ? Number(high - from) : 0,
  };
}
