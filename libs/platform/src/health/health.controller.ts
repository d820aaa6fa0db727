import { Controller, Get, HttpCode, HttpException, HttpStatus, Inject } from '@nestjs/common';

/** A named readiness check; the service is ready only when every check passes. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<boolean> | boolean;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

@Controller('health')
export class HealthController {
  constructor(@Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[]) {}

  /** Liveness: the process answers. */
  @Get('live')
  @HttpCode(200)
  live(): { status: 'UP' } {
    return { status: 'UP' };
  }

  /** Readiness: 200 when Kafka and Postgres (and whatever else the service needs) are reachable, 503 otherwise. */
  @Get('ready')
  async ready(): Promise<{ status: 'UP' | 'DOWN'; checks: Record<string, 'UP' | 'DOWN'> }> {
    const results = await Promise.all(
      this.checks.map(
        async (c) => [c.name, (await Promise.resolve(c.check()).catch(() => false)) ? 'UP' : 'DOWN'] as const,
      ),
    );
    const checks = Object.fromEntries(results);
    const body = { status: results.every(([, s]) => s === 'UP') ? ('UP' as const) : ('DOWN' as const), checks };
    if (body.status === 'DOWN') throw new HttpException(body, HttpStatus.SERVICE_UNAVAILABLE);
    return body;
  }
}
