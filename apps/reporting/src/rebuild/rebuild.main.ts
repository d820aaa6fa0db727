import { consoleLogger, createKafkaClient, errorMessage } from '@fleetwave/messaging';
import { createPool, migrateSchema, readPlatformConfig } from '@fleetwave/platform';
import { REPORTING_SCHEMA, reportingMigration } from '../rollout-progress/rollout-progress.migration';
import { rebuildProjection } from './projection-rebuild';
import { projectionNamed, reportingProjections } from './reporting-projections';

/**
 * `npm run reporting:rebuild -- <projection>... | all`: drops the named projections of reporting
 * and rebuilds them from the topics, one after the other. The reporting service must be stopped
 * (its consumer groups idle); it resumes from the rebuilt state when started again.
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
    for (const projection of projections) {
      console.log(`[fleetwave] rebuilding ${projection.name} (consumer group ${projection.groupId})`);
      const report = await rebuildProjection({ pool, kafka, schema: REPORTING_SCHEMA, projection, logger });
      console.log(`[fleetwave] ${report.projection}: ${report.messages} messages replayed in ${report.durationMs} ms`);
    }
  } finally {
    await pool.end();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`[fleetwave] ERROR: ${errorMessage(error)}`);
  process.exit(1);
});
