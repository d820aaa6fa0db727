import type { Admin } from 'kafkajs';
import { ConsumerLagProbe } from './consumer-lag.probe';

/** The two admin reads the probe makes, answered from tables the test sets. */
function fakeAdmin(ends: Record<string, { partition: number; high: string; low: string }[]>) {
  const committed = new Map<string, { partition: number; offset: string }[]>();
  let failing: Error | undefined;
  let reads = 0;
  const admin = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    fetchTopicOffsets: async (topic: string) => {
      reads++;
      if (failing) throw failing;
      if (!ends[topic]) throw new Error(`unknown topic ${topic}`);
      return ends[topic].map((e) => ({ ...e, offset: e.high }));
    },
    fetchOffsets: async ({ groupId, topics }: { groupId: string; topics: string[] }) =>
      topics.map((topic) => ({
        topic,
        partitions: (ends[topic] ?? []).map(({ partition }) => ({
          partition,
          offset: committed.get(`${groupId}/${topic}`)?.find((c) => c.partition === partition)?.offset ?? '-1',
        })),
      })),
  } as unknown as Admin;
  return {
    admin,
    commit: (groupId: string, topic: string, offsets: { partition: number; offset: string }[]) =>
      committed.set(`${groupId}/${topic}`, offsets),
    fail: (error?: Error) => (failing = error),
    reads: () => reads,
  };
}

describe('ConsumerLagProbe', () => {
  let now = 0;
  const clock = { now: () => now };

  it('counts from the committed offset, or from the oldest retained message without one', async () => {
    const kafka = fakeAdmin({
      t: [
        { partition: 0, high: '10', low: '0' },
        { partition: 1, high: '7', low: '3' },
      ],
    });
    kafka.commit('g', 't', [{ partition: 0, offset: '8' }]);
    const probe = new ConsumerLagProbe(kafka.admin, () => [{ groupId: 'g', topics: ['t'] }], clock);
    expect(await probe.lag()).toEqual([
      {
        groupId: 'g',
        lag: 6,
        partitions: [
          { topic: 't', partition: 0, committedOffset: '8', endOffset: '10', lag: 2 },
          { topic: 't', partition: 1, endOffset: '7', lag: 4 },
        ],
      },
    ]);
  });

  it('answers again from its last read within maxAgeMs, and reads anew after', async () => {
    const kafka = fakeAdmin({ t: [{ partition: 0, high: '5', low: '0' }] });
    const probe = new ConsumerLagProbe(kafka.admin, () => [{ groupId: 'g', topics: ['t'] }], {
      ...clock,
      maxAgeMs: 1_000,
    });
    now = 10_000;
    await probe.lag();
    now = 10_500;
    kafka.commit('g', 't', [{ partition: 0, offset: '5' }]);
    expect((await probe.lag())[0].lag).toBe(5);
    expect(kafka.reads()).toBe(1);
    now = 11_000;
    expect((await probe.lag())[0].lag).toBe(0);
  });

  it('keeps the last values with the error when Kafka cannot be read, and fails only the groups of a missing topic', async () => {
    const kafka = fakeAdmin({ t: [{ partition: 0, high: '4', low: '0' }] });
    const targets = [
      { groupId: 'g', topics: ['t'] },
      { groupId: 'h', topics: ['missing'] },
    ];
    const probe = new ConsumerLagProbe(kafka.admin, () => targets, { ...clock, maxAgeMs: 0 });
    const first = await probe.lag();
    expect(first[0]).toEqual({
      groupId: 'g',
      lag: 4,
      partitions: [{ topic: 't', partition: 0, endOffset: '4', lag: 4 }],
    });
    expect(first[1]).toEqual({ groupId: 'h', lag: 0, partitions: [], error: 'Error: unknown topic missing' });
    kafka.fail(new Error('broker down'));
    const failed = await probe.lag();
    expect(failed[0]).toEqual({ ...first[0], error: 'Error: broker down' });
  });
});
