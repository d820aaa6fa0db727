import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { Pool } from 'pg';
import { percentile, perSecond, timed } from './stats';

/** What this machine does with no application in the way: the bounds every figure is compared to. */
export interface MachineLimits {
  copyRows: number;
  copyMs: number;
  copyRowsPerSecond: number;
  kafkaMessages: number;
  kafkaMessageBytes: number;
  kafkaProducePerSecond: number;
  kafkaConsumePerSecond: number;
  kafkaHopP50Ms: number | undefined;
  kafkaHopP99Ms: number | undefined;
}

/**
 * COPY of `rows` membership-like rows (four columns, primary key) through psql's stdin into a
 * throwaway table, with the cluster's durability settings; the table is dropped afterwards.
 */
export async function measureCopy(databaseUrl: string, rows: number): Promise<{ ms: number; rowsPerSecond: number }> {
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  const table = `public.bench_copy_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  try {
    await pool.query(
      `create table ${table} (rollout_id bigint, group_id bigint, target_id bigint, controller_id text, primary key (rollout_id, target_id))`,
    );
    const { ms } = await timed(() => copyThroughPsql(databaseUrl, table, rows));
    const { rows: counted } = await pool.query<{ n: string }>(`select count(*) as n from ${table}`);
    if (Number(counted[0].n) !== rows) throw new Error(`COPY wrote ${counted[0].n} of ${rows} rows`);
    return { ms, rowsPerSecond: perSecond(rows, ms) };
  } finally {
    await pool.query(`drop table if exists ${table}`).catch(() => undefined);
    await pool.end();
  }
}

function copyThroughPsql(databaseUrl: string, table: string, rows: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const psql = spawn('psql', [databaseUrl, '-qAtc', `copy ${table} from stdin`], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    psql.stderr.on('data', (chunk) => (stderr += chunk));
    psql.on('error', reject);
    psql.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`psql COPY failed (${code}): ${stderr}`))));
    let next = 1;
    const write = () => {
      while (next <= rows) {
        const end = Math.min(rows, next + 9_999);
        let chunk = '';
        for (let i = next; i <= end; i++) chunk += `1\t${1 + (i % 100)}\t${i}\tbench-${String(i).padStart(7, '0')}\n`;
        next = end + 1;
        if (!psql.stdin.write(chunk)) return void psql.stdin.once('drain', write);
      }
      psql.stdin.end();
    };
    write();
  });
}

/** A device status report's worth of bytes. */
const sampleValue = (i: number) =>
  JSON.stringify({
    type: 'UPDATE_ACTION_STATUS',
    tenant: 'DEFAULT',
    controllerId: `bench-${String(i).padStart(7, '0')}`,
    actionId: 1_000_000 + i,
    status: 'FINISHED',
    messages: ['simulator: installed'],
    timestamp: Date.now(),
  });

/**
 * kafkajs produce and consume rates on a throwaway topic (12 partitions, acks from all replicas,
 * 1,000 messages per send, four sends in flight), and the produce → consume hop latency of single
 * messages. The topic is deleted afterwards.
 */
export async function measureKafka(
  kafka: Kafka,
  messages: number,
): Promise<
  Pick<
    MachineLimits,
    'kafkaProducePerSecond' | 'kafkaConsumePerSecond' | 'kafkaHopP50Ms' | 'kafkaHopP99Ms' | 'kafkaMessageBytes'
  >
> {
  const topic = `bench.raw.${randomUUID().slice(0, 8)}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 12 }], waitForLeaders: true });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  const consumer = kafka.consumer({ groupId: `bench-raw-${randomUUID()}` });
  try {
    await producer.connect();
    const values = Array.from({ length: 1_000 }, (_, i) => sampleValue(i));
    const produced = await timed(async () => {
      let sent = 0;
      const sendOne = async () => {
        while (sent < messages) {
          const count = Math.min(1_000, messages - sent);
          const base = sent;
          sent += count;
          await producer.send({
            topic,
            acks: -1,
            messages: values.slice(0, count).map((value, i) => ({ key: String(base + i), value })),
          });
        }
      };
      await Promise.all([sendOne(), sendOne(), sendOne(), sendOne()]);
    });

    let consumed = 0;
    let first = 0;
    let last = 0;
    const hops = new Map<string, number>();
    const hopLatencies: number[] = [];
    let allConsumed: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (allConsumed = resolve));
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        const now = performance.now();
        if (first === 0) first = now;
        for (const message of batch.messages) {
          const hop = message.key?.toString();
          const sentAt = hop ? hops.get(hop) : undefined;
          if (sentAt !== undefined) hopLatencies.push(now - sentAt);
          else consumed++;
        }
        last = performance.now();
        if (consumed >= messages) allConsumed();
      },
    });
    await withTimeout(done, 300_000, 'raw consume');

    for (let i = 0; i < 100; i++) {
      const key = `hop-${i}`;
      hops.set(key, performance.now());
      const before = hopLatencies.length;
      await producer.send({ topic, acks: -1, messages: [{ key, value: sampleValue(i) }] });
      const deadline = Date.now() + 10_000;
      while (hopLatencies.length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
    }
    return {
      kafkaMessageBytes: Buffer.byteLength(values[0]),
      kafkaProducePerSecond: perSecond(messages, produced.ms),
      kafkaConsumePerSecond: perSecond(messages, last - first),
      kafkaHopP50Ms: percentile(hopLatencies, 50),
      kafkaHopP99Ms: percentile(hopLatencies, 99),
    };
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
}

async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`${what} timed out`)), ms)),
  );
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
