// Creates every Kafka topic of the cluster (dead-letter topics included) with an explicit
// partition count; safe to re-run. Run: node -r @swc-node/register scripts/create-topics.ts
// Env: KAFKA_BROKERS (default 127.0.0.1:9092), KAFKA_PARTITIONS (default 12).
//
// Relative imports on purpose: @swc-node/register reads tsconfig.json, and the path aliases
// live in tsconfig.base.json, so '@fleetwave/*' would not resolve when run this way.
import { allTopics } from '../libs/contracts/src/topics';
import { ensureTopics } from '../libs/messaging/src/ensure-topics';
import { consoleLogger } from '../libs/messaging/src/messaging-logger';

function readPartitions(raw: string | undefined): number {
  const partitions = Number(raw ?? '12');
  if (!Number.isInteger(partitions) || partitions < 1) {
    throw new Error(`KAFKA_PARTITIONS must be a positive integer, got ${JSON.stringify(raw)}`);
  }
  return partitions;
}

async function main(): Promise<void> {
  const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((broker) => broker.trim());
  const partitions = readPartitions(process.env.KAFKA_PARTITIONS);
  const logger = consoleLogger('warn');
  const result = await ensureTopics(brokers, allTopics, partitions, { logger });
  for (const topic of result.created) console.log(`[fleetwave] created topic ${topic} (${partitions} partitions)`);
  for (const topic of result.existing)
    console.log(`[fleetwave] topic ${topic.topic} exists (${topic.partitions} partitions)`);
}

main().catch((error: unknown) => {
  console.error(`[fleetwave] ERROR: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
