import { installShutdownHooks } from './shutdown-hooks';
import { silentLogger } from './messaging-logger';

describe('installShutdownHooks', () => {
  it('closes everything once, in order, on the first signal only', async () => {
    const closed: string[] = [];
    const closeable = (name: string) => ({
      close: async () => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        closed.push(name);
      },
    });
    const failing = { close: async () => Promise.reject(new Error('already closed')) };
    const uninstall = installShutdownHooks([closeable('consumer'), failing, closeable('publisher')], silentLogger, {
      exit: false,
    });
    try {
      process.emit('SIGTERM', 'SIGTERM');
      process.emit('SIGINT', 'SIGINT');
      await new Promise((resolve) => setTimeout(resolve, 100));
      // A failing closeable does not keep the rest open.
      expect(closed).toEqual(['consumer', 'publisher']);
    } finally {
      uninstall();
    }
    expect(process.listenerCount('SIGTERM')).toBe(0);
  });
});
