// A consumer process for crash tests: it applies slices like a service would, and right after
// the first slice's transaction commits (before its offset is committed) it announces it and
// stalls, so that the test can SIGKILL it in exactly that window.
import { Pool } from 'pg';
import { testDatabaseUrl, testKafkaBrokers } from '@fleetwave/testing';
import { IdempotentConsumer } from '../src/idempotent-consumer';
import { quoteIdentifier } from '../src/processed-messages.store';
import { parseStep } from './batch-consumer.fixture';
import { testLogger } from './kafka.fixture';
import { insertSteps } from './step-batch.handler';

async function main(): Promise<void> {
  const [schema, topic, groupId] = process.argv.slice(2);
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 2 });
  const consumer = new IdempotentConsumer({
    brokers: testKafkaBrokers(),
    groupId,
    topics: [topic],
    pool,
    schema,
    parse: parseStep,
    handleBatch: insertSteps(`${quoteIdentifier(schema)}.effects`),
    batchMaxMessages: 10,
    logger: testLogger(),
    onSliceCommitted: async (slice) => {
      process.stdout.write(`committed ${slice.lastOffset}\n`);
      await new Promise(() => undefined);
    },
  });
  await consumer.start();
  process.stdout.write('joined\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
