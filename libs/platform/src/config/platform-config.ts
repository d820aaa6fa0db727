/** Settings every service reads at start-up; validated once and then injected. */
export interface PlatformConfig {
  serviceName: string;
  databaseUrl: string;
  kafkaBrokers: string[];
  httpHost: string;
  httpPort: number;
  /** Partition count used when topics are created. */
  kafkaPartitions: number;
  /**
   * Largest serialized event the event store accepts (`EVENT_STORE_MAX_EVENT_BYTES`); larger
   * appends are refused, so no relayed message can exceed what one produce request carries.
   */
  maxEventBytes: number;
  /** Most encoded bytes per Kafka produce request (`KAFKA_MAX_REQUEST_BYTES`), under `message.max.bytes`. */
  kafkaMaxRequestBytes: number;
  /**
   * Kafka consumer session timeout (`KAFKA_SESSION_TIMEOUT_MS`): how long the group waits for a
   * member that stopped heartbeating (a crashed process) before its partitions move on.
   */
  kafkaSessionTimeoutMs: number;
  /** Kafka consumer heartbeat interval (`KAFKA_HEARTBEAT_INTERVAL_MS`), a third of the session or less. */
  kafkaHeartbeatIntervalMs: number;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Reads an integer setting, failing start-up with a message that names the variable. */
export function intSetting(env: Env, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

/** Reads the shared settings for one service; `defaultPort` is the service's own HTTP port. */
export function readPlatformConfig(serviceName: string, defaultPort: number, env: Env = process.env): PlatformConfig {
  const databaseUrl = env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/rollouts';
  try {
    new URL(databaseUrl);
  } catch {
    throw new ConfigError(`DATABASE_URL is not a URL: "${databaseUrl}"`);
  }
  const kafkaBrokers = (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim());
  if (kafkaBrokers.some((b) => !/^[^:\s]+:\d+$/.test(b))) {
    throw new ConfigError(`KAFKA_BROKERS must be host:port[,host:port…], got "${env.KAFKA_BROKERS}"`);
  }
  const kafkaSessionTimeoutMs = intSetting(env, 'KAFKA_SESSION_TIMEOUT_MS', 3_000, 1_000, 300_000);
  const kafkaHeartbeatIntervalMs = intSetting(
    env,
    'KAFKA_HEARTBEAT_INTERVAL_MS',
    Math.min(1_000, Math.floor(kafkaSessionTimeoutMs / 3)),
    100,
    Math.floor(kafkaSessionTimeoutMs / 3),
  );
  const portVariable = `${serviceName.toUpperCase().replace(/-/g, '_')}_PORT`;
  return {
    serviceName,
    databaseUrl,
    kafkaBrokers,
    httpHost: env.HTTP_HOST ?? '127.0.0.1',
    httpPort: intSetting(env, portVariable, defaultPort, 1, 65535),
    kafkaPartitions: intSetting(env, 'KAFKA_PARTITIONS', 12, 1, 1000),
    // Upper bounds keep an event plus its headers, and a whole request, below the broker's
    // default 1 MiB message.max.bytes.
    maxEventBytes: intSetting(env, 'EVENT_STORE_MAX_EVENT_BYTES', 256 * 1024, 1024, 768 * 1024),
    kafkaMaxRequestBytes: intSetting(env, 'KAFKA_MAX_REQUEST_BYTES', 512 * 1024, 64 * 1024, 960 * 1024),
    kafkaSessionTimeoutMs,
    kafkaHeartbeatIntervalMs,
  };
}
