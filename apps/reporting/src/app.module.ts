import { DynamicModule, Module } from '@nestjs/common';
import { Topics } from '@fleetwave/contracts';
import { HealthController, type PlatformConfig } from '@fleetwave/platform';
import { serviceKitProviders, type ServiceKit } from '@fleetwave/service-kit';
import { REPORTING_SCHEMA, reportingMigration } from './rollout-progress/rollout-progress.migration';
import { RolloutProgressProjection } from './rollout-progress/rollout-progress.projection';
import { projectedEventTypes } from './rollout-progress/rollout-progress.plan';
import { RolloutQueriesController } from './rollout-queries/rollout-queries.controller';
import { TypeOrmModule } from '@nestjs/typeorm';
import { readModelEntities } from './rollout-queries/read-model.entities';
import { RolloutChangesController } from './rollout-watch/rollout-changes.controller';
import { RolloutChangesHub } from './rollout-watch/rollout-changes.hub';

/** The wiring point: every *.events topic projected into the read model. */
function wireReporting(kit: ServiceKit): void {
  const projection = new RolloutProgressProjection();
  kit
    .migration(reportingMigration)
    .consumeEventBatches(
      'reporting.rollout-progress',
      [Topics.rolloutEvents, Topics.rolloutGroupEvents, Topics.actionEvents],
      projection.handleBatch,
      projectedEventTypes,
    );
}

@Module({})
export class AppModule {
  static forRoot(config: PlatformConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // Reads of the read model go through TypeORM; the projection writes in the consumer's own transaction.
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: config.databaseUrl,
          entities: readModelEntities,
          synchronize: false,
          extra: { max: 10, application_name: 'reporting-queries' },
        }),
        TypeOrmModule.forFeature(readModelEntities),
      ],
      controllers: [HealthController, RolloutQueriesController, RolloutChangesController],
      providers: [
        ...serviceKitProviders(config, REPORTING_SCHEMA, { useFactory: () => wireReporting }),
        // The change feed behind WatchRollout and the dashboard's live updates.
        { provide: RolloutChangesHub, useFactory: () => new RolloutChangesHub(config.databaseUrl, REPORTING_SCHEMA) },
      ],
    };
  }
}
