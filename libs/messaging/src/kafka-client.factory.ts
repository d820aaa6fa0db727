import { Kafka, logLevel, type LogEntry, type RetryOptions } from 'kafkajs';
import { errorMessage, type MessagingLogger } from './messaging-logger';

/** Connection settings shared by every Kafka adapter of a process. */
export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  logger: MessagingLogger;
  /** Lowest kafkajs level that reaches the logger; WARN by default because kafkajs is chatty at INFO. */
  minLogLevel?: logLevel;
  retry?: RetryOptions;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
}

/**
 * kafkajs logs every retriable broker response (coordinator loading, leader not available)
 * at ERROR although it retries them itself; only an exhausted retry is an error worth paging
 * for, and that surfaces separately as a crash or a rejected call.
 */
function isRetriedResponse(entry: LogEntry): boolean {
  return entry.namespace === 'Connection' && entry.log.message.startsWith('Response ');
}

/**
 * A limited retry budget is deliberate (see kafka-publisher.ts): callers re-send on failure
 * and every consumer deduplicates by message id, so kafkajs' exactly-once warning is noise.
 */
function isAcknowledgedWarning(entry: LogEntry): boolean {
  return entry.log.message.startsWith('Limiting retries for the idempotent producer');
}

/** Routes kafkajs' log entries into a {@link MessagingLogger}. */
export function kafkaLogCreator(logger: MessagingLogger) {
  return () =>
    (entry: LogEntry): void => {
      if (isAcknowledgedWarning(entry)) return;
      const { message, timestamp: _timestamp, ...context } = entry.log;
      const text = `kafkajs ${entry.namespace}: ${message}`;
      const fields: Record<string, unknown> = { ...context };
      if (fields.error !== undefined && typeof fields.error !== 'string') fields.error = errorMessage(fields.error);
      if (entry.level === logLevel.ERROR && !isRetriedResponse(entry)) logger.error(text, fields);
      else if (entry.level <= logLevel.WARN) logger.warn(text, fields);
      else if (entry.level === logLevel.INFO) logger.info(text, fields);
      else logger.debug(text, fields);
    };
}

/** Creates a kafkajs client whose logs go to the given logger. */
export function createKafkaClient(options: KafkaClientOptions): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: options.minLogLevel ?? logLevel.WARN,
    logCreator: kafkaLogCreator(options.logger),
    retry: options.retry,
    connectionTimeout: options.connectionTimeoutMs ?? 3_000,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
  });
}
