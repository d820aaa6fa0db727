import type { INestApplication } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { HawkbitValidationPipe } from './hawkbit-validation.pipe';
import { readHttpLimits, type HttpLimits } from './http-limits';
import { jsonBodyParser, nonJsonBodyGuard, renderBodyErrors } from './request-body.guards';
import { STREAMED_BODIES, type StreamedBodyRule } from './streamed-bodies';

/**
 * Installs the request edge every service shares, before Nest adds its own body parser (which
 * then stays out, the JSON parser being taken): bounded JSON bodies (413 past the size limit,
 * 400 past the nesting limit or with a NUL), 415 for other media types, and the global
 * validation pipe that applies DTO rules and list defaults. Call before `listen`. Routes the
 * application declares under {@link STREAMED_BODIES} get their non-JSON bodies unread.
 */
export function installHttpGuards(app: INestApplication, limits: HttpLimits = readHttpLimits()): void {
  app.use(jsonBodyParser(limits), nonJsonBodyGuard(limits, streamedBodyRules(app)), renderBodyErrors(limits));
  app.useGlobalPipes(new HawkbitValidationPipe());
}

/**
 * The application's streamed-body rules; none when its modules provide no {@link STREAMED_BODIES}.
 * Looked up through the ModuleRef: the application object itself ends the process on an unknown token.
 */
function streamedBodyRules(app: INestApplication): readonly StreamedBodyRule[] {
  try {
    return app.get(ModuleRef).get<readonly StreamedBodyRule[]>(STREAMED_BODIES, { strict: false });
  } catch {
    return [];
  }
}
