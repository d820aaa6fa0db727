import { DynamicModule, INestApplication, Logger, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PlatformConfig } from '../config/platform-config';
import { installHttpGuards } from '../http/http-guards';
import { installMetricsEndpoint } from '../metrics/metrics-endpoint';

/**
 * Starts a service: builds the Nest application from its root module, listens on the configured
 * loopback address, serves `/metrics` when the module provides metrics, and closes cleanly
 * (consumers drained, pools ended) on SIGTERM/SIGINT.
 */
export async function bootstrapService(
  rootModule: Type<unknown> | DynamicModule,
  config: PlatformConfig,
): Promise<INestApplication> {
  const logger = new Logger(config.serviceName);
  const app = await NestFactory.create(rootModule, { logger: ['error', 'warn', 'log'] });
  app.enableShutdownHooks();
  // First, so that requests the guards refuse are measured too.
  installMetricsEndpoint(app);
  installHttpGuards(app);
  await app.listen(config.httpPort, config.httpHost);
  logger.log(`listening on http://${config.httpHost}:${config.httpPort}`);
  return app;
}

/** Runs `main` and turns a start-up failure into a clear message and exit code 1. */
export function runMain(serviceName: string, main: () => Promise<unknown>): void {
  main().catch((error: unknown) => {
    new Logger(serviceName).error(`failed to start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
