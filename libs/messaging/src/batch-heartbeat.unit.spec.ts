import { waitWithHeartbeats, withHeartbeats } from './batch-heartbeat';

describe('waitWithHeartbeats', () => {
  const controls = (stale: () => boolean = () => false) => {
    const beats: number[] = [];
    return {
      beats,
      controls: { heartbeat: async () => void beats.push(Date.now()), isRunning: () => true, isStale: stale },
    };
  };

  it('heartbeats during a long wait and then lets the retry go ahead', async () => {
    const { beats, controls: c } = controls();
    expect(await waitWithHeartbeats(120, 30, c, new AbortController().signal)).toBe(true);
    expect(beats.length).toBeGreaterThanOrEqual(3);
  });

  it('gives up when the partition is taken away or the consumer stops', async () => {
    let stale = false;
    const { controls: c } = controls(() => stale);
    const waiting = waitWithHeartbeats(10_000, 20, c, new AbortController().signal);
    stale = true;
    expect(await waiting).toBe(false);

    const stop = new AbortController();
    const stopping = waitWithHeartbeats(10_000, 5_000, controls().controls, stop.signal);
    stop.abort();
    expect(await stopping).toBe(false);
  });
});

describe('withHeartbeats', () => {
  afterEach(() => jest.useRealTimers());

  it('heartbeats while the work runs, survives a failing heartbeat, and stops with the work', async () => {
    jest.useFakeTimers();
    let beats = 0;
    const heartbeat = async (): Promise<void> => {
      beats++;
      if (beats === 2) throw new Error('The group is rebalancing');
    };
    let finish: (value: string) => void = () => undefined;
    const running = withHeartbeats(1_000, heartbeat, () => new Promise<string>((resolve) => (finish = resolve)));

    await jest.advanceTimersByTimeAsync(3_500);
    expect(beats).toBe(3);
    finish('applied');
    await expect(running).resolves.toBe('applied');
    await jest.advanceTimersByTimeAsync(5_000);
    expect(beats).toBe(3);
  });
});
