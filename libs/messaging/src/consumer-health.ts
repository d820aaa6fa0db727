import type { Consumer } from 'kafkajs';

/** Lifecycle state of an {@link IdempotentConsumer}. */
export type ConsumerState = 'idle' | 'starting' | 'running' | 'restarting' | 'stopping' | 'stopped';

/** A message (the first of a batch slice) that failed and is being retried with its slice. */
export interface RetryingMessage {
  topic: string;
  partition: number;
  /** Offset and id of the slice's first message. */
  offset: string;
  messageId: string;
  /** Offset of the slice's last message, and how many messages the slice holds. */
  lastOffset: string;
  messages: number;
  attempts: number;
  /** Text of the latest failure, with its SQLSTATE or code when it has one. */
  lastError: string;
  /** When the first attempt failed. */
  since: Date;
}

/** A snapshot for readiness and liveness probes. */
export interface ConsumerHealth {
  /** Running, connected, in its group and heard from the broker recently. */
  healthy: boolean;
  state: ConsumerState;
  connected: boolean;
  groupJoined: boolean;
  lastActivityAt?: Date;
  lastError?: string;
  /** Set while a message is retried (e.g. Postgres is down): Kafka is fine, progress is not. The oldest one. */
  retrying?: RetryingMessage;
  /** Set once a retry has lasted longer than the consumer's `stuckAfterMs`: readiness is red. */
  stuck?: RetryingMessage;
  /** Every partition currently retrying, oldest first. */
  retryingPartitions: RetryingMessage[];
}

/**
 * Follows a kafkajs consumer's instrumentation events. kafkajs has no "connection lost" event:
 * a broker outage shows as failing requests that end in a CRASH, and a silent consumer shows as
 * no heartbeat or fetch for a while, which is why activity is timestamped.
 */
export class ConsumerHealthTracker {
  connected = false;
  groupJoined = false;
  lastActivityAt?: Date;
  lastError?: string;

  constructor(
    consumer: Consumer,
    private readonly livenessWindowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    const { CONNECT, DISCONNECT, GROUP_JOIN, HEARTBEAT, FETCH, END_BATCH_PROCESS, STOP, CRASH } = consumer.events;
    consumer.on(CONNECT, () => (this.connected = true));
    consumer.on(DISCONNECT, () => {
      this.connected = false;
      this.groupJoined = false;
    });
    // After a crash kafkajs restarts without a new CONNECT event; a join proves the connection.
    consumer.on(GROUP_JOIN, () => {
      this.connected = true;
      this.groupJoined = true;
      this.lastError = undefined;
      this.touch();
    });
    for (const event of [HEARTBEAT, FETCH, END_BATCH_PROCESS]) consumer.on(event, () => this.touch());
    consumer.on(STOP, () => (this.groupJoined = false));
    consumer.on(CRASH, (event) => {
      this.groupJoined = false;
      this.lastError = event.payload.error.message;
    });
  }

  /** Whether the consumer looks alive given its lifecycle state. */
  isHealthy(state: ConsumerState): boolean {
    const recentlyActive =
      this.lastActivityAt !== undefined && this.now() - this.lastActivityAt.getTime() <= this.livenessWindowMs;
    return state === 'running' && this.connected && this.groupJoined && recentlyActive;
  }

  private touch(): void {
    this.lastActivityAt = new Date(this.now());
  }
}
