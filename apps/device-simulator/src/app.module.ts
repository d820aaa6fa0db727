import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import {
  HawkbitExceptionFilter,
  HealthController,
  metricsProviders,
  READINESS_CHECKS,
  type PlatformConfig,
} from '@fleetwave/platform';
import { DevicesController } from './devices/devices.controller';
import { defaultSimulatorConfig, type SimulatorConfig } from './devices/simulator.config';
import { SimulatorRuntime } from './devices/simulator.runtime';

@Module({})
export class AppModule {
  static forRoot(config: PlatformConfig, simulator: SimulatorConfig = defaultSimulatorConfig): DynamicModule {
    return {
      module: AppModule,
      controllers: [HealthController, DevicesController],
      providers: [
        { provide: SimulatorRuntime, useFactory: () => new SimulatorRuntime(config, simulator) },
        { provide: READINESS_CHECKS, useFactory: (r: SimulatorRuntime) => r.readiness(), inject: [SimulatorRuntime] },
        { provide: APP_FILTER, useClass: HawkbitExceptionFilter },
        // GET /metrics and the HTTP request histogram (see bootstrapService).
        ...metricsProviders(config.serviceName),
      ],
    };
  }
}
