import { logLevel } from 'kafkajs';
import { kafkaLogCreator } from './kafka-client.factory';
import type { MessagingLogger } from './messaging-logger';

function recordingLogger(): { logger: MessagingLogger; lines: string[] } {
  const lines: string[] = [];
  const record = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
  return {
    lines,
    logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') },
  };
}

describe('kafkaLogCreator', () => {
  const entry = (level: logLevel, namespace: string, message: string) => ({
    namespace,
    level,
    label: '',
    log: { timestamp: '', message },
  });

  it('maps kafkajs levels and demotes responses kafkajs retries itself', () => {
    const { logger, lines } = recordingLogger();
    const log = kafkaLogCreator(logger)();
    log(entry(logLevel.ERROR, 'Consumer', 'Crash: KafkaJSNumberOfRetriesExceeded'));
    log(entry(logLevel.ERROR, 'Connection', 'Response GroupCoordinator(key: 10, version: 2)'));
    log(entry(logLevel.WARN, 'Producer', 'Limiting retries for the idempotent producer may invalidate EoS guarantees'));
    log(entry(logLevel.INFO, 'ConsumerGroup', 'Consumer has joined the group'));
    expect(lines).toEqual([
      'error kafkajs Consumer: Crash: KafkaJSNumberOfRetriesExceeded',
      'warn kafkajs Connection: Response GroupCoordinator(key: 10, version: 2)',
      'info kafkajs ConsumerGroup: Consumer has joined the group',
    ]);
  });
});
