import { Module, type INestApplication } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import type { AddressInfo } from 'node:net';
import { Client, Pool } from 'pg';
import { InternalServices, type InternalServiceKey } from '@fleetwave/contracts';
import {
  bootstrapService,
  GrpcServer,
  grpcServiceDefinition,
  HawkbitExceptionFilter,
  internalClient,
  migrateSchema,
  readPlatformConfig,
  type InternalClient,
  type ServesGrpc,
} from '@fleetwave/platform';
import { eventually, testDatabaseUrl, uniqueName } from '@fleetwave/testing';
import { inventoryMigration } from '../inventory.migration';
import { inventoryControllers, inventoryGrpcServices, inventoryProviders } from '../inventory.providers';
import { DATABASE_POOL } from '../../shared/tokens';
import { CreateTargetsController } from '../../targets/commands/create-targets/create-targets.controller';
import { ListTargetsController } from '../../targets/queries/list-targets/list-targets.controller';
import { SoftwareModulesController } from '../../repository/commands/create-software-modules/create-software-modules.controller';
import { DistributionSetsController } from '../../repository/commands/create-distribution-sets/create-distribution-sets.controller';
import { DistributionSetLookup } from '../../repository/queries/distribution-set.lookup';

export interface HttpAnswer {
  status: number;
  body: any;
}

/**
 * The inventory started in-process the way the service starts it (bootstrapService, the same
 * controllers, gRPC services and exception filter) against a fresh database migrated with the
 * inventory plan. Its internal gRPC API is served on a port of its own: {@link client} calls it
 * as the gateway does.
 */
export class InventoryHttpFixture {
  readonly database = uniqueName('fw_inv');
  private readonly admin = new Client({ connectionString: testDatabaseUrl() });
  pool!: Pool;
  app!: INestApplication;
  private base = '';
  private readonly clients = new Map<InternalServiceKey, InternalClient>();

  async start(): Promise<void> {
    await this.admin.connect();
    await this.admin.query(`create database ${this.database}`);
    const url = new URL(testDatabaseUrl());
    url.pathname = `/${this.database}`;
    this.pool = new Pool({ connectionString: url.toString(), max: 4 });
    await migrateSchema(this.pool, inventoryMigration);
    const pool = this.pool;

    @Module({
      imports: [CqrsModule.forRoot()],
      controllers: [
        CreateTargetsController,
        ListTargetsController,
        SoftwareModulesController,
        DistributionSetsController,
        ...inventoryControllers,
      ],
      providers: [
        { provide: DATABASE_POOL, useValue: pool },
        DistributionSetLookup,
        ...inventoryProviders,
        {
          provide: GrpcServer,
          useFactory: (...services: ServesGrpc[]) =>
            new GrpcServer(
              '127.0.0.1:0',
              services.map((s) => s.service()),
              'test',
            ),
          inject: inventoryGrpcServices,
        },
        { provide: APP_FILTER, useClass: HawkbitExceptionFilter },
      ],
    })
    class InventoryModule {}

    this.app = await bootstrapService(InventoryModule, {
      ...readPlatformConfig('rollout-command-inventory-test', 1, {}),
      httpPort: 0,
    });
    this.base = `http://127.0.0.1:${(this.app.getHttpServer().address() as AddressInfo).port}/rest/v1`;
  }

  /** A client of one of the inventory's internal services (e.g. `targets`), as the gateway calls it. */
  client(key: InternalServiceKey): InternalClient {
    let client = this.clients.get(key);
    if (!client) {
      const { file, name } = InternalServices[key];
      client = internalClient(`127.0.0.1:${this.app.get(GrpcServer).port}`, grpcServiceDefinition(file, name));
      this.clients.set(key, client);
    }
    return client;
  }

  async stop(): Promise<void> {
    for (const client of this.clients.values()) client.close();
    await this.app?.close();
    await this.pool?.end();
    // The pool's sockets close asynchronously after end(); the drop succeeds once they are gone.
    await eventually(() => this.admin.query(`drop database if exists ${this.database}`), {
      description: 'drop test database',
    });
    await this.admin.end();
  }

  async send(method: string, path: string, body?: unknown, type = 'application/json'): Promise<HttpAnswer> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': type, 'x-fleetwave-user': 'operator' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  /** The answer, failing with its body when the status is not the expected one. */
  async expect(status: number, method: string, path: string, body?: unknown): Promise<HttpAnswer> {
    const answer = await this.send(method, path, body);
    if (answer.status !== status) {
      throw new Error(`${method} ${path}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    return answer;
  }
}

/** hawkBit's error body. */
export const hawkbitError = {
  exceptionClass: expect.any(String),
  errorCode: expect.any(String),
  message: expect.any(String),
};
