import { consoleLogger, createKafkaClient, errorMessage } from '@fleetwave/messaging';
import { createPool, migrateSchema, readPlatformConfig } from '@fleetwave/platform';
import { REPORTING_SCHEMA, reportingMigration } from '../rollout-progress/rollout-progress.migration';
import { projectionNamed, READ_MODEL_GROUP, reportingProjections } from '../read-model/reporting-projections';
import { rebuildProjections } from './projection-rebuild';

/**
 * `npm run reporting:rebuild -- <projection>... | all`: drops the named projections of reporting
 * and rebuilds them from the topics. The reporting service must be stopped (its consumer group
 * idle); it resumes from the rebuilt state when started again.
 */
async function main(args: string[]): Promise<void> {
  if (args.length === 0 || args.includes('--help')) {
    console.log(`usage: npm run reporting:rebuild -- <projection>... | all
projections: ${reportingProjections.map((p) => p.name).join(', ')}`);
    process.exitCode = args.length === 0 ? 1 : 0;
    return;
  }
  const projections = args.includes('all') ? reportingProjections : args.map(projectionNamed);
  const config = readPlatformConfig('reporting-rebuild', 0);
  const logger = consoleLogger('warn');
  const pool = createPool(config.databaseUrl, config.serviceName, 4);
  const kafka = createKafkaClient({ brokers: config.kafkaBrokers, clientId: config.serviceName, logger });
  try {
    // The tables are there even where the service never ran.
    await migrateSchema(pool, reportingMigration);
    const names = projections.map((p) => p.name).join(', ');
    console.log(`[fleetwave] rebuilding ${names} (consumer group ${READ_MODEL_GROUP})`);
    const report = await rebuildProjections({ pool, kafka, schema: REPORTING_SCHEMA, projections, logger });
    console.log(`[fleetwave] ${names}: ${report.messages} messages replayed in ${report.durationMs} ms`);
  } finally {
    await pool.end();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`[fleetwave] ERROR: ${errorMessage(error)}`);
  process.exit(1);
});
