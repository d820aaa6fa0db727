import { DynamicModule, Module } from '@nestjs/common';
import { RolloutPositions } from './rollout-position/rollout-position.projection';
import { PositionWaiter } from './rollout-position/position-waiter';
import { GrpcServer, HealthController, readGrpcAddress, type PlatformConfig } from '@fleetwave/platform';
import { serviceKitProviders, type ServiceKit } from '@fleetwave/service-kit';
import { REPORTING_SCHEMA, reportingMigration } from './rollout-progress/rollout-progress.migration';
import { RolloutQueries } from './rollout-queries/rollout.queries';
import { ROLLOUT_QUERIES_SERVICE, RolloutQueriesGrpc } from './rollout-queries/rollout-queries.grpc';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { readModelEntities } from './rollout-queries/read-model.entities';
import { RolloutChangesController } from './rollout-watch/rollout-changes.controller';
import { RolloutChangesHub } from './rollout-watch/rollout-changes.hub';
import { trackReportingGauges } from './metrics/reporting-gauges';
import { actionQueriesProvider } from './actions/actions.wiring';
import { ACTION_QUERIES_SERVICE, ActionQueriesGrpc } from './actions/queries/action-queries.grpc';
import { progressQueriesProvider } from './rollout-history/progress-buckets.wiring';
import { auditQueriesProvider } from './rollout-audit/decision-audit.wiring';
import { RolloutListChangesController } from './rollout-watch/rollout-list-changes.controller';
import {
  composeProjections,
  READ_MODEL_GROUP,
  readModelTopics,
  reportingProjections,
} from './read-model/reporting-projections';

/** The wiring point: every *.events topic projected into the read model, by one consumer group. */
function wireReporting(kit: ServiceKit): void {
  trackReportingGauges(kit.metrics, kit.pool, kit.schema);
  const readModel = composeProjections(reportingProjections);
  kit
    .migration(reportingMigration)
    .consumeEventBatches(READ_MODEL_GROUP, [...readModelTopics], readModel.handleBatch, readModel.types);
}

@Module({})
export class AppModule {
  static forRoot(config: PlatformConfig): DynamicModule {
    // The internal API the gateway asks (REPORTING_GRPC_ADDRESS).
    const grpcAddress = readGrpcAddress('REPORTING_GRPC_ADDRESS', '127.0.0.1:50064');
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
      // Over HTTP, besides health: the change feeds the gateway relays (the queries are gRPC).
      controllers: [HealthController, RolloutChangesController, RolloutListChangesController],
      providers: [
        ...serviceKitProviders(config, REPORTING_SCHEMA, { useFactory: () => wireReporting }),
        RolloutQueries,
        PositionWaiter,
        RolloutQueriesGrpc,
        ActionQueriesGrpc,
        {
          provide: GrpcServer,
          useFactory: (queries: RolloutQueriesGrpc, actions: ActionQueriesGrpc) =>
            new GrpcServer(
              grpcAddress,
              [queries.service(), actions.service()],
              `${ROLLOUT_QUERIES_SERVICE}, ${ACTION_QUERIES_SERVICE}`,
            ),
          inject: [RolloutQueriesGrpc, ActionQueriesGrpc],
        },
        actionQueriesProvider,
        progressQueriesProvider,
        auditQueriesProvider,
        {
          provide: RolloutPositions,
          useFactory: (db: DataSource) =>
            new RolloutPositions((sql, params) => db.query(sql, params), REPORTING_SCHEMA),
          inject: [DataSource],
        },
        // The change feed behind WatchRollout and the dashboard's live updates.
        { provide: RolloutChangesHub, useFactory: () => new RolloutChangesHub(config.databaseUrl, REPORTING_SCHEMA) },
      ],
    };
  }
}
