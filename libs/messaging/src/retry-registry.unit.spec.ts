import { RetryRegistry } from './retry-registry';

const failure = (offset: string, attempts: number, partition = 0) => ({
  topic: 't',
  partition,
  offset,
  messageId: `m-${offset}`,
  lastOffset: offset,
  messages: 1,
  attempts,
  lastError: 'Error: boom',
});

describe('RetryRegistry', () => {
  it('reports a retry as stuck once it lasted longer than the bound, until it settles', () => {
    let now = 1_000;
    const registry = new RetryRegistry(30_000, () => now);
    registry.failed(failure('5', 1));
    now += 20_000;
    registry.failed(failure('5', 2));
    expect(registry.stuck()).toBeUndefined();
    now += 10_001;
    expect(registry.stuck()).toMatchObject({ offset: '5', attempts: 2, since: new Date(1_000) });

    registry.settled('t', 0);
    expect(registry.stuck()).toBeUndefined();
    expect(registry.all()).toEqual([]);
  });

  it('restarts the clock when the partition moves on to another slice, and lists the oldest first', () => {
    let now = 0;
    const registry = new RetryRegistry(1_000, () => now);
    registry.failed(failure('1', 1, 0));
    now = 500;
    registry.failed(failure('9', 1, 1));
    now = 900;
    registry.failed(failure('2', 1, 0));
    expect(registry.all().map((r) => [r.partition, r.since.getTime()])).toEqual([
      [1, 500],
      [0, 900],
    ]);
  });
});
