import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { HawkbitExceptionFilter, HealthController, READINESS_CHECKS } from '@fleetwave/platform';
import type { User } from './auth/users';
import { ManagementApiProxy, TOKENS, UPSTREAMS, USERS } from './proxy/management-api.proxy';
import type { Upstreams } from './proxy/upstreams';
import { reportingChangeFeed } from './grpc/change-feed';
import { RolloutGrpcServer, type GrpcSettings } from './grpc/rollout-grpc.server';

const upstreamReady = (url: string) => async () =>
  (await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined))?.ok === true;

@Module({})
export class AppModule {
  /**
   * `grpc`: where the gRPC API listens, without it the gateway serves REST only; `tokens`: API
   * tokens for `Authorization: Bearer`, each acting as a user.
   */
  static forRoot(
    users: Map<string, User>,
    upstreams: Upstreams,
    grpc?: GrpcSettings,
    tokens: Map<string, User> = new Map(),
  ): DynamicModule {
    return {
      module: AppModule,
      controllers: [HealthController, ManagementApiProxy],
      providers: [
        { provide: USERS, useValue: users },
        { provide: TOKENS, useValue: tokens },
        { provide: UPSTREAMS, useValue: upstreams },
        {
          provide: READINESS_CHECKS,
          useValue: [
            { name: 'rollout-command', check: upstreamReady(upstreams.rolloutCommand) },
            { name: 'reporting', check: upstreamReady(upstreams.reporting) },
          ],
        },
        { provide: APP_FILTER, useClass: HawkbitExceptionFilter },
        ...(grpc
          ? [
              {
                provide: RolloutGrpcServer,
                useValue: new RolloutGrpcServer(grpc, reportingChangeFeed(upstreams.reporting)),
              },
            ]
          : []),
      ],
    };
  }
}
