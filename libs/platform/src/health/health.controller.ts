import { Controller, Get, HttpCode, HttpException, HttpStatus, Inject, Optional } from '@nestjs/common';
import { CONSUMER_LAG, type ConsumerGroupLag, type ConsumerLagSource } from './consumer-lag';

/** A named readiness check; the service is ready only when every check passes. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<boolean> | boolean;
  /**
   * What an operator needs to see when the check fails (say, which message a consumer is stuck
   * on and why); included in the readiness body under the check's name.
   */
  details?(): unknown;
}

/** The body of `/health/ready`, with a 200 when UP and a 503 when DOWN. */
export interface ReadinessBody {
  status: 'UP' | 'DOWN';
  checks: Record<string, 'UP' | 'DOWN'>;
  details?: Record<string, unknown>;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

@Controller('health')
export class HealthController {
  constructor(
    @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[],
    @Optional() @Inject(CONSUMER_LAG) private readonly lagSource?: ConsumerLagSource,
  ) {}

  /** Liveness: the process answers. */
  @Get('live')
  @HttpCode(200)
  live(): { status: 'UP' } {
    return { status: 'UP' };
  }

  /**
   * Readiness: 200 when Kafka and Postgres (and whatever else the service needs) are reachable
   * and nothing is stuck, 503 otherwise; the body carries each check's details.
   */
  @Get('ready')
  async ready(): Promise<ReadinessBody> {
    const results = await Promise.all(
      this.checks.map(
        async (c) => [c.name, (await Promise.resolve(c.check()).catch(() => false)) ? 'UP' : 'DOWN'] as const,
      ),
    );
    const checks = Object.fromEntries(results);
    const details = Object.fromEntries(
      this.checks.flatMap((c) => {
        if (!c.details) return [];
        try {
          return [[c.name, c.details()] as const];
        } catch (error) {
          return [[c.name, { error: error instanceof Error ? error.message : String(error) }] as const];
        }
      }),
    );
    const body: ReadinessBody = {
      status: results.every(([, s]) => s === 'UP') ? 'UP' : 'DOWN',
      checks,
      ...(Object.keys(details).length > 0 ? { details } : {}),
    };
    if (body.status === 'DOWN') throw new HttpException(body, HttpStatus.SERVICE_UNAVAILABLE);
    return body;
  }

  /**
   * Consumer lag per group and partition, read from Kafka now: how far behind the service is.
   * Informational, always 200; readiness does not depend on it (a backlog is not a fault).
   */
  @Get('lag')
  async lag(): Promise<{ consumers: ConsumerGroupLag[] }> {
    return { consumers: (await this.lagSource?.consumerLag()) ?? [] };
  }
}
