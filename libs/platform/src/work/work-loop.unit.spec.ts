import { WorkLoop } from './work-loop';

const until = async (condition: () => boolean, timeoutMs = 2_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('WorkLoop', () => {
  it('runs steps back to back while there is work, then sleeps until woken', async () => {
    let pending = 3;
    let steps = 0;
    const loop = new WorkLoop({
      step: async () => {
        steps++;
        if (pending === 0) return false;
        pending--;
        return true;
      },
      pollMs: 60_000,
      retryDelayMs: 60_000,
      onError: () => undefined,
    });
    loop.start();
    await until(() => pending === 0 && steps === 4);
    expect(loop.isRunning).toBe(true);

    pending = 2;
    loop.wake();
    await until(() => pending === 0 && steps === 7);
    await loop.stop();
    expect(loop.isRunning).toBe(false);
  });

  it('reports a failed step and retries it after the delay', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const loop = new WorkLoop({
      step: async () => {
        calls++;
        if (calls <= 2) throw new Error(`failure ${calls}`);
        return false;
      },
      pollMs: 60_000,
      retryDelayMs: 1,
      onError: (error) => errors.push(error),
    });
    loop.start();
    await until(() => calls === 3);
    await loop.stop();
    expect(errors.map((e) => (e as Error).message)).toEqual(['failure 1', 'failure 2']);
  });

  it('stops while asleep without waiting for the minute-long poll', async () => {
    let steps = 0;
    const loop = new WorkLoop({
      step: async () => (steps++, false),
      pollMs: 60_000,
      retryDelayMs: 1,
      onError: () => undefined,
    });
    loop.start();
    await until(() => steps === 1);
    await loop.stop(); // the unit tier's timeout fails the test if this waited for the poll
    expect(loop.isRunning).toBe(false);
    expect(steps).toBe(1);
  });
});
