import type { INestApplication } from '@nestjs/common';
import { HawkbitValidationPipe } from './hawkbit-validation.pipe';
import { readHttpLimits, type HttpLimits } from './http-limits';
import { jsonBodyParser, nonJsonBodyGuard, renderBodyErrors } from './request-body.guards';

/**
 * Installs the request edge every service shares, before Nest adds its own body parser (which
 * then stays out, the JSON parser being taken): bounded JSON bodies (413 past the size limit,
 * 400 past the nesting limit or with a NUL), 415 for other media types, and the global
 * validation pipe that applies DTO rules and list defaults. Call before `listen`.
 */
export function installHttpGuards(app: INestApplication, limits: HttpLimits = readHttpLimits()): void {
  app.use(jsonBodyParser(limits), nonJsonBodyGuard(limits), renderBodyErrors(limits));
  app.useGlobalPipes(new HawkbitValidationPipe());
}
