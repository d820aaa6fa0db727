import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import {
  HawkbitExceptionFilter,
  HealthController,
  metricsProviders,
  READINESS_CHECKS,
  STREAMED_BODIES,
} from '@fleetwave/platform';
import type { User } from './auth/users';
import { ManagementApiProxy, TOKENS, UPSTREAMS, USERS } from './proxy/management-api.proxy';
import { OpenApiController } from './openapi/openapi.controller';
import type { Upstreams } from './proxy/upstreams';
import { streamedUploads } from './proxy/streaming-pass-through';
import { reportingChangeFeed } from './grpc/change-feed';
import { RolloutGrpcServer, type GrpcSettings } from './grpc/rollout-grpc.server';
import { UiApiController } from './ui/ui-api.controller';
import { UiAssetsController } from './ui/ui-assets.controller';

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
      controllers: [HealthController, OpenApiController, ManagementApiProxy, UiApiController, UiAssetsController],
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
        // Artifact uploads pass the edge unread; the proxy streams them on.
        { provide: STREAMED_BODIES, useValue: streamedUploads },
        // GET /metrics and the HTTP request histogram (see bootstrapService).
        ...metricsProviders('gateway'),
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
