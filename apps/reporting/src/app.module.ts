import { DynamicModule, Inject, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { Topics } from '@fleetwave/contracts';
import { HawkbitExceptionFilter, HealthController, READINESS_CHECKS, type PlatformConfig } from '@fleetwave/platform';
import { ServiceKit, parseEnvelope, type Envelope } from '@fleetwave/service-kit';
import { REPORTING_SCHEMA, reportingMigration } from './rollout-progress/rollout-progress.migration';
import { RolloutProgressProjection } from './rollout-progress/rollout-progress.projection';
import { RolloutQueriesController } from './rollout-queries/rollout-queries.controller';
import { TypeOrmModule } from '@nestjs/typeorm';
import { readModelEntities } from './rollout-queries/read-model.entities';

/** The wiring point: every *.events topic projected into the read model. */
class ReportingRuntime implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(ServiceKit) private readonly kit: ServiceKit) {}

  async onApplicationBootstrap(): Promise<void> {
    const projection = new RolloutProgressProjection();
    this.kit.migration(reportingMigration).consume<Envelope>({
      groupId: 'reporting.rollout-progress',
      topics: [Topics.rolloutEvents, Topics.rolloutGroupEvents, Topics.actionEvents],
      parse: parseEnvelope,
      handle: (event, ctx) => projection.handle(event, ctx),
    });
    await this.kit.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.kit.stop();
  }
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
      controllers: [HealthController, RolloutQueriesController],
      providers: [
        { provide: ServiceKit, useValue: new ServiceKit(config, REPORTING_SCHEMA) },
        { provide: READINESS_CHECKS, useFactory: (kit: ServiceKit) => kit.readinessChecks(), inject: [ServiceKit] },
        { provide: APP_FILTER, useClass: HawkbitExceptionFilter },
        ReportingRuntime,
      ],
    };
  }
}
