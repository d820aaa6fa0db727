import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import {
  GrpcServer,
  HawkbitExceptionFilter,
  HealthController,
  metricsProviders,
  READINESS_CHECKS,
  STREAMED_BODIES,
} from '@fleetwave/platform';
import type { User } from './auth/users';
import { ManagementApiFrontDoor } from './edge/management-api-front-door';
import type { Credentials } from './auth/authorize';
import { CREDENTIALS, ManagementApiGuard } from './auth/management-api.guard';
import { RolloutApi } from './rollouts/rollout-api';
import { BACKENDS, backendClients, closeBackends, readBackendAddresses, type BackendAddresses } from './backends';
import { RolloutsController } from './rollouts/rollouts.controller';
import { SYSTEM_CONFIGS, SystemConfigsController } from './system/system-configs.controller';
import { ACTION_QUERIES, ActionsController } from './actions/actions.controller';
import { OpenApiController } from './openapi/openapi.controller';
import { UPSTREAMS, type Upstreams } from './upstreams';
import { artifactUploads } from './inventory/artifacts/artifact-upload';
import { ArtifactStreams } from './inventory/artifacts/artifact-streams';
import { ArtifactsController } from './inventory/artifacts/artifacts.controller';
import { reportingChangeFeed } from './grpc/change-feed';
import { rolloutGrpcServer } from './grpc/rollout-grpc.server';
import { UiApiController } from './ui/ui-api.controller';
import { UiAssetsController } from './ui/ui-assets.controller';
import { repositoryControllers } from './inventory/repository/repository.controllers';
import { targetCatalogControllers } from './inventory/target-catalog/target-catalog.controllers';
import { targetsControllers } from './inventory/targets/targets.controllers';

const upstreamReady = (url: string) => async () =>
  (await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined))?.ok === true;

/** The gateway's ways in: the gRPC API's address (none: REST only), API tokens, the internal services. */
export interface GatewayOptions {
  grpc?: { address: string };
  /** API tokens for `Authorization: Bearer`, each acting as a user. */
  tokens?: Map<string, User>;
  /** Where rollout-command's and reporting's internal gRPC APIs are. */
  backends?: BackendAddresses;
}

@Module({})
export class AppModule {
  static forRoot(users: Map<string, User>, upstreams: Upstreams, options: GatewayOptions = {}): DynamicModule {
    const credentials: Credentials = { users, tokens: options.tokens ?? new Map() };
    const addresses = options.backends ?? readBackendAddresses();
    const backends = backendClients(addresses);
    const api = new RolloutApi(backends);
    return {
      module: AppModule,
      // The API's routes first: the front door answers what none of them takes (401, 404).
      controllers: [
        HealthController,
        OpenApiController,
        RolloutsController,
        SystemConfigsController,
        ActionsController,
        ...repositoryControllers,
        ...targetCatalogControllers,
        ...targetsControllers,
        ArtifactsController,
        ManagementApiFrontDoor,
        UiApiController,
        UiAssetsController,
      ],
      providers: [
        { provide: CREDENTIALS, useValue: credentials },
        { provide: UPSTREAMS, useValue: upstreams },
        { provide: RolloutApi, useValue: api },
        { provide: BACKENDS, useValue: backends },
        { provide: SYSTEM_CONFIGS, useValue: backends.configs },
        { provide: ACTION_QUERIES, useValue: backends.actions },
        ManagementApiGuard,
        // The internal channels close with the application.
        { provide: 'BACKEND_CHANNELS', useValue: { onApplicationShutdown: () => closeBackends(backends) } },
        // The artifacts' streaming calls, on a channel of their own (closed with the application too).
        { provide: ArtifactStreams, useValue: new ArtifactStreams(addresses) },
        {
          provide: READINESS_CHECKS,
          useValue: [
            { name: 'rollout-command', check: upstreamReady(upstreams.rolloutCommand) },
            { name: 'reporting', check: upstreamReady(upstreams.reporting) },
          ],
        },
        { provide: APP_FILTER, useClass: HawkbitExceptionFilter },
        // Artifact uploads pass the edge unread; their controller streams them on.
        { provide: STREAMED_BODIES, useValue: artifactUploads },
        // GET /metrics and the HTTP request histogram (see bootstrapService).
        ...metricsProviders('gateway'),
        ...(options.grpc
          ? [
              {
                provide: GrpcServer,
                useValue: rolloutGrpcServer(
                  options.grpc.address,
                  api,
                  credentials,
                  reportingChangeFeed(upstreams.reporting),
                ),
              },
            ]
          : []),
      ],
    };
  }
}
