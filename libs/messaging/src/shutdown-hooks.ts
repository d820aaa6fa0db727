import { errorMessage, type MessagingLogger } from './messaging-logger';

/** Anything that must be closed on shutdown: consumers, publishers, pools, servers. */
export interface Closeable {
  close(): Promise<void> | void;
}

/** Options of {@link installShutdownHooks}. */
export interface ShutdownHookOptions {
  signals?: NodeJS.Signals[];
  /** Exit the process once everything is closed (default true); a handled signal no longer exits by itself. */
  exit?: boolean;
  /** Bound on the whole shutdown; past it the process exits with code 1 (when `exit`). Default 30 s. */
  timeoutMs?: number;
}

/**
 * On the first SIGTERM or SIGINT, closes the closeables one after another in the given order
 * (list consumers before the publishers and pools they use), then exits. Later signals while
 * shutting down are ignored so a double Ctrl-C cannot interrupt an offset commit. Returns a
 * function that removes the hooks.
 */
export function installShutdownHooks(
  closeables: Closeable[],
  logger: MessagingLogger,
  options: ShutdownHookOptions = {},
): () => void {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const exit = options.exit ?? true;
  let shuttingDown = false;

  const shutDown = async (signal: NodeJS.Signals): Promise<void> => {
    if (shuttingDown) {
      logger.warn('shutdown already in progress; signal ignored', { signal });
      return;
    }
    shuttingDown = true;
    logger.info('shutting down', { signal });
    const timer = setTimeout(() => {
      logger.error('shutdown did not finish in time', { timeoutMs: options.timeoutMs ?? 30_000 });
      if (exit) process.exit(1);
    }, options.timeoutMs ?? 30_000);
    // Without this the timer alone would keep a finished process alive until it fires.
    timer.unref();
    let failed = false;
    for (const closeable of closeables) {
      try {
        await closeable.close();
      } catch (error) {
        failed = true;
        logger.error('closing failed during shutdown', { error: errorMessage(error) });
      }
    }
    clearTimeout(timer);
    logger.info('shutdown complete', { failed });
    if (exit) process.exit(failed ? 1 : 0);
  };

  const listener = (signal: NodeJS.Signals): void => void shutDown(signal);
  for (const signal of signals) process.on(signal, listener);
  return () => {
    for (const signal of signals) process.off(signal, listener);
  };
}
