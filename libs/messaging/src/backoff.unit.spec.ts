import { backoffDelay, sleep } from './backoff';

describe('backoffDelay', () => {
  const policy = { initialDelayMs: 100, maxDelayMs: 1_000, factor: 2 };
  const noJitter = (): number => 0.5;

  it('grows exponentially per attempt and stays under the cap', () => {
    expect([1, 2, 3, 4, 5, 10, 100].map((attempt) => backoffDelay(policy, attempt, noJitter))).toEqual([
      100, 200, 400, 800, 1_000, 1_000, 1_000,
    ]);
  });

  it('jitters by at most 20 %', () => {
    expect(backoffDelay(policy, 3, () => 0)).toBe(320);
    expect(backoffDelay(policy, 3, () => 1)).toBe(480);
  });
});

describe('sleep', () => {
  it('ends early when aborted', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const sleeping = sleep(10_000, controller.signal);
    controller.abort();
    await sleeping;
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
