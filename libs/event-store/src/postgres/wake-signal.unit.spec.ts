import { WakeSignal } from './wake-signal.util';

describe('WakeSignal', () => {
  const settledWithin = async (promise: Promise<void>, ms: number): Promise<boolean> =>
    Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);

  it('ends a wait early on wake', async () => {
    const signal = new WakeSignal();
    const waiting = signal.wait(60_000);
    signal.wake();
    expect(await settledWithin(waiting, 1_000)).toBe(true);
  });

  it('remembers a wake that came while nobody waited', async () => {
    const signal = new WakeSignal();
    signal.wake();
    expect(await settledWithin(signal.wait(60_000), 1_000)).toBe(true);
  });

  it('forgets wakes on clear, and ignores them during an unwakeable wait', async () => {
    const signal = new WakeSignal();
    signal.wake();
    signal.clear();
    const cleared = signal.wait(60_000);
    expect(await settledWithin(cleared, 50)).toBe(false);
    signal.close();
    const backoff = new WakeSignal();
    const waiting = backoff.wait(60_000, false);
    backoff.wake();
    expect(await settledWithin(waiting, 50)).toBe(false);
    backoff.close();
    expect(await settledWithin(waiting, 1_000)).toBe(true);
    expect(await settledWithin(cleared, 1_000)).toBe(true);
  });
});
