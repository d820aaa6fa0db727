/**
 * The structured logger the messaging adapters write to. Apps pass their own (Nest, pino, …)
 * through a thin adapter, so this library depends on no logging framework.
 */
export interface MessagingLogger {
  debug(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

type Level = keyof MessagingLogger;
const levelRank: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** A logger that prints one JSON line per entry to stderr, dropping entries below `minLevel`. */
export function consoleLogger(minLevel: Level = 'info'): MessagingLogger {
  const write =
    (level: Level) =>
    (message: string, context?: Record<string, unknown>): void => {
      if (levelRank[level] < levelRank[minLevel]) return;
      process.stderr.write(`${JSON.stringify({ level, time: new Date().toISOString(), message, ...context })}\n`);
    };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/** A logger that drops everything; for tests that assert on behaviour, not on log output. */
export const silentLogger: MessagingLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** The message of any thrown value, for log context. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
