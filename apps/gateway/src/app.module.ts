import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { HawkbitExceptionFilter, HealthController, READINESS_CHECKS } from '@fleetwave/platform';
import type { User } from './auth/users';
import { ManagementApiProxy, UPSTREAMS, USERS } from './proxy/management-api.proxy';
import type { Upstreams } from './proxy/upstreams';

const upstreamReady = (url: string) => async () =>
  (await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined))?.ok === true;

@Module({})
export class AppModule {
  static forRoot(users: Map<string, User>, upstreams: Upstreams): DynamicModule {
    return {
      module: AppModule,
      controllers: [HealthController, ManagementApiProxy],
      providers: [
        { provide: USERS, useValue: users },
        { provide: UPSTREAMS, useValue: upstreams },
        {
          provide: READINESS_CHECKS,
          useValue: [
            { name: 'rollout-command', check: upstreamReady(upstreams.rolloutCommand) },
            { name: 'reporting', check: upstreamReady(upstreams.reporting) },
          ],
        },
        { provide: APP_FILTER, useClass: HawkbitExceptionFilter },
      ],
    };
  }
}
