import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import {
  loadPackageDefinition,
  Server,
  ServerCredentials,
  type sendUnaryData,
  type ServerUnaryCall,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ConfigError } from '../config/platform-config';
import { toGrpcError } from './grpc-errors';

/** How every proto is loaded: camel-case fields (as REST's JSON), int64 as numbers, unset optionals absent. */
export const protoLoaderOptions = { keepCase: false, longs: Number, enums: String, defaults: false, oneofs: false };

/** The definition of `service` (its full name, `package.Service`) in `protoFile`. */
export function grpcServiceDefinition(protoFile: string, service: string): ServiceDefinition {
  let node: unknown = loadPackageDefinition(loadSync(protoFile, protoLoaderOptions));
  for (const part of service.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  const definition = (node as { service?: ServiceDefinition } | undefined)?.service;
  if (!definition) throw new Error(`no service ${service} in ${protoFile}`);
  return definition;
}

type Json = Record<string, unknown>;

/** A unary method as an async function of its request. */
export type UnaryMethod = (request: Json, call: ServerUnaryCall<Json, object>) => Promise<object>;

/**
 * A service implementation from async functions; what a function throws is answered as the
 * gRPC error carrying the Management API's answer for it (see {@link toGrpcError}).
 */
export function unaryImplementation(methods: Record<string, UnaryMethod>): UntypedServiceImplementation {
  const implementation: UntypedServiceImplementation = {};
  for (const [name, method] of Object.entries(methods)) {
    implementation[name] = (call: ServerUnaryCall<Json, object>, callback: sendUnaryData<object>) => {
      method(call.request, call).then(
        (response) => callback(null, response),
        (error: unknown) => callback(toGrpcError(error)),
      );
    };
  }
  return implementation;
}

export interface GrpcService {
  definition: ServiceDefinition;
  implementation: UntypedServiceImplementation;
}

/** A provider that implements one gRPC service. */
export interface ServesGrpc {
  service(): GrpcService;
}

/** Serves gRPC services on `address` while the application runs. */
export class GrpcServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('grpc');
  private server?: Server;
  private boundPort?: number;

  constructor(
    private readonly address: string,
    private readonly services: GrpcService[],
    private readonly label: string,
  ) {}

  /** The port it listens on (the one the system chose when the address asked for port 0). */
  get port(): number | undefined {
    return this.boundPort;
  }

  async onApplicationBootstrap(): Promise<void> {
    const server = new Server();
    for (const { definition, implementation } of this.services) {
      // A service that has no methods yet is not served (the server refuses an empty one).
      if (Object.keys(definition).length > 0) server.addService(definition, implementation);
    }
    this.boundPort = await new Promise<number>((resolve, reject) =>
      server.bindAsync(this.address, ServerCredentials.createInsecure(), (error, port) =>
        error ? reject(error) : resolve(port),
      ),
    );
    this.server = server;
    this.logger.log(`${this.label} on ${this.address.replace(/:0$/, `:${this.boundPort}`)}`);
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

/** A `host:port` address from the environment variable `name`, or `fallback`. */
export function readGrpcAddress(
  name: string,
  fallback: string,
  env: Record<string, string | undefined> = process.env,
): string {
  const address = env[name] ?? fallback;
  if (!/^[\w.-]+:\d{1,5}$/.test(address)) throw new ConfigError(`${name} must be host:port, got "${address}"`);
  return address;
}
