import { join } from 'node:path';
import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { loadPackageDefinition, Server, ServerCredentials, type ServiceDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ConfigError } from '@fleetwave/platform';
import type { ChangeFeed } from './change-feed';
import { rolloutServiceImplementation } from './rollout-grpc.service';

/** The proto file of the API, in libs/contracts. */
export const ROLLOUT_PROTO = join(__dirname, '../../../../libs/contracts/proto/rollout/v1/rollout.proto');

/** How the loader maps the proto: camel-case fields (as REST's JSON), int64 as numbers. */
export const protoLoaderOptions = { keepCase: false, longs: Number, enums: String, defaults: false, oneofs: true };

/** The `rollout.v1.RolloutService` definition loaded from {@link ROLLOUT_PROTO}. */
export function rolloutServiceDefinition(): ServiceDefinition {
  const loaded = loadPackageDefinition(loadSync(ROLLOUT_PROTO, protoLoaderOptions)) as unknown as {
    rollout: { v1: { RolloutService: { service: ServiceDefinition } } };
  };
  return loaded.rollout.v1.RolloutService.service;
}

export interface GrpcSettings {
  /** host:port to listen on (127.0.0.1:50051 by default). */
  address: string;
  /** The gateway's own REST base URL, which every method calls. */
  restBaseUrl: string;
}

/** Serves the gRPC API while the application runs. */
export class RolloutGrpcServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('grpc');
  private server?: Server;

  constructor(
    private readonly settings: GrpcSettings,
    private readonly feed: ChangeFeed,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const server = new Server();
    server.addService(rolloutServiceDefinition(), rolloutServiceImplementation(this.settings.restBaseUrl, this.feed));
    await new Promise<void>((resolve, reject) =>
      server.bindAsync(this.settings.address, ServerCredentials.createInsecure(), (error) =>
        error ? reject(error) : resolve(),
      ),
    );
    this.server = server;
    this.logger.log(`rollout.v1.RolloutService on ${this.settings.address}`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => server.forceShutdown(), 5_000);
      server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
  }
}

/**
 * The gRPC settings: `GRPC_ADDRESS` (host:port, default 127.0.0.1:50051) and the gateway's own
 * HTTP port, whose REST API every method calls.
 */
export function readGrpcSettings(
  httpPort: number,
  env: Record<string, string | undefined> = process.env,
): GrpcSettings {
  const address = env.GRPC_ADDRESS ?? '127.0.0.1:50051';
  if (!/^[\w.-]+:\d{1,5}$/.test(address)) throw new ConfigError(`GRPC_ADDRESS must be host:port, got "${address}"`);
  return { address, restBaseUrl: `http://127.0.0.1:${httpPort}` };
}
