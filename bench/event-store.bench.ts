/**
 * Event store throughput: one-stream appends vs. one set-based appendToStreams of the same events,
 * how fast a checkpointed subscription delivers them, and the bulk appends of group activation
 * (new action streams, two events each) and of device status batches (existing streams, one
 * event each at an expected revision), each one transaction. Prints JSON; compares as ratios.
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { PostgresEventStore, type StreamAppend } from '@fleetwave/event-store';
import { testDatabaseUrl, uniqueName } from '@fleetwave/testing';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 5_000);
const BULK_STREAMS = Number(process.env.BENCH_BULK_STREAMS ?? 10_000);
const BULK_ROUNDS = Number(process.env.BENCH_BULK_ROUNDS ?? 3);

// Shaped like the events of an activation: a status change and the device's instruction.
const metadata = () => ({ correlationId: randomUUID(), causationId: randomUUID() });
const statusChanged = (action: number, status: string) => ({
  type: 'ActionStatusChanged.v1',
  data: { actionId: action, status, at: new Date().toISOString() },
  metadata: metadata(),
});
const instruction = (action: number) => ({
  type: 'DeviceMessageRequested.v1',
  data: {
    type: 'DOWNLOAD_AND_INSTALL',
    controllerId: `device-${action}`,
    actionId: action,
    rolloutId: 1,
    groupId: 1,
    actionType: 'forced',
    distributionSet: { id: 1, name: 'bench', version: '1.0.0' },
    softwareModules: [{ id: 1, type: 'os', version: '1.0', artifacts: [{ filename: 'os.bin', size: 1 << 20 }] }],
  },
  metadata: metadata(),
});

/** Median events per second of appendToStreams calls, each inside a transaction of its own. */
async function bulkAppends(pool: Pool, store: PostgresEventStore, batches: StreamAppend[][]): Promise<number> {
  const rates: number[] = [];
  for (const appends of batches) {
    const events = appends.reduce((sum, append) => sum + append.events.length, 0);
    const client = await pool.connect();
    try {
      const t = performance.now();
      await client.query('BEGIN');
      await store.appendToStreams(appends, { tx: client });
      await client.query('COMMIT');
      rates.push(events / ((performance.now() - t) / 1000));
    } finally {
      client.release();
    }
  }
  return Math.round(rates.sort((a, b) => a - b)[Math.floor(rates.length / 2)]);
}

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

    const rounds = Array.from({ length: BULK_ROUNDS }, (_, round) =>
      Array.from({ length: BULK_STREAMS }, (_, k) => round * BULK_STREAMS + k),
    );
    const bulkNewStreamsEventsPerSecond = await bulkAppends(
      pool,
      store,
      rounds.map((actions) =>
        actions.map((action) => ({
          streamName: `action-${action}`,
          expectedRevision: 'no_stream' as const,
          events: [statusChanged(action, 'running'), instruction(action)],
        })),
      ),
    );
    const bulkExistingStreamsEventsPerSecond = await bulkAppends(
      pool,
      store,
      rounds.map((actions) =>
        actions.map((action) => ({
          streamName: `action-${action}`,
          expectedRevision: 1,
          events: [statusChanged(action, 'finished')],
        })),
      ),
    );

    console.log(
      JSON.stringify({
        benchmark: 'event-store',
        events: EVENTS,
        singleAppendsPerSecond: Math.round(EVENTS / (singleMs / 1000)),
        batchAppendsPerSecond: Math.round(EVENTS / (batchMs / 1000)),
        batchOverSingleRatio: Number((singleMs / batchMs).toFixed(1)),
        subscriptionEventsPerSecond: Math.round(seen / (deliverMs / 1000)),
        subscriptionDelivered: seen,
        bulkStreams: BULK_STREAMS,
        bulkNewStreamsEventsPerSecond,
        bulkExistingStreamsEventsPerSecond,
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
