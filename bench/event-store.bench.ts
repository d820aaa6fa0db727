/**
 * Event store throughput: one-stream appends vs. one set-based appendToStreams of the same events,
 * and how fast a checkpointed subscription delivers them. Prints JSON; compares as ratios.
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { PostgresEventStore } from '@fleetwave/event-store';
import { testDatabaseUrl, uniqueName } from '@fleetwave/testing';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 5_000);

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 10 });
  const schema = uniqueName('bench');
  const store = new PostgresEventStore(pool, schema);
  await store.migrate();
  const event = (i: number) => ({ type: 'BenchEvent.v1', data: { i, id: randomUUID() } });
  try {
    let t = performance.now();
    for (let i = 0; i < EVENTS; i++) await store.appendToStream(`single-${i}`, [event(i)]);
    const singleMs = performance.now() - t;

    t = performance.now();
    for (let i = 0; i < EVENTS; i += 1_000) {
      const batch = Array.from({ length: Math.min(1_000, EVENTS - i) }, (_, k) => ({
        streamName: `batch-${i + k}`,
        events: [event(i + k)],
        expectedRevision: 'no_stream' as const,
      }));
      await store.appendToStreams(batch);
    }
    const batchMs = performance.now() - t;

    let seen = 0;
    t = performance.now();
    const subscription = store.subscribe({
      subscriptionId: 'bench',
      handler: async (events) => {
        seen += events.length;
      },
    });
    await subscription.start();
    const deadline = Date.now() + 120_000;
    while (seen < 2 * EVENTS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const deliverMs = performance.now() - t;
    await subscription.stop();

    console.log(
      JSON.stringify({
        benchmark: 'event-store',
        events: EVENTS,
        singleAppendsPerSecond: Math.round(EVENTS / (singleMs / 1000)),
        batchAppendsPerSecond: Math.round(EVENTS / (batchMs / 1000)),
        batchOverSingleRatio: Number((singleMs / batchMs).toFixed(1)),
        subscriptionEventsPerSecond: Math.round(seen / (deliverMs / 1000)),
        subscriptionDelivered: seen,
      }),
    );
  } finally {
    await pool.query(`drop schema if exists ${schema} cascade`);
    await pool.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
