import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { Client, Pool } from 'pg';
import { PostgresEventStore } from '@fleetwave/event-store';
import { InternalServices, type InternalServiceKey } from '@fleetwave/contracts';
import {
  GrpcServer,
  grpcServiceDefinition,
  internalClient,
  migrateSchema,
  type InternalClient,
  type ServesGrpc,
} from '@fleetwave/platform';
import { eventually, testDatabaseUrl, uniqueName } from '@fleetwave/testing';
import { inventoryMigration } from '../inventory.migration';
import { inventoryGrpcServices, inventoryProviders } from '../inventory.providers';
import { DATABASE_POOL, EVENT_STORE } from '../../shared/tokens';
import { DistributionSetLookup } from '../../repository/queries/distribution-set.lookup';

/**
 * The inventory started in-process with the service's providers and internal gRPC services,
 * against a fresh database migrated with the inventory plan. The gRPC API is served on a port of
 * its own: {@link client} calls it as the gateway does.
 */
export class InventoryFixture {
  readonly database = uniqueName('fw_inv');
  private readonly admin = new Client({ connectionString: testDatabaseUrl() });
  pool!: Pool;
  app!: INestApplicationContext;
  private readonly clients = new Map<InternalServiceKey, InternalClient>();

  async start(): Promise<void> {
    await this.admin.connect();
    await this.admin.query(`create database ${this.database}`);
    const url = new URL(testDatabaseUrl());
    url.pathname = `/${this.database}`;
    this.pool = new Pool({ connectionString: url.toString(), max: 4 });
    await migrateSchema(this.pool, inventoryMigration);
    const pool = this.pool;
    // Rollout streams, which a deploy group's targets are checked against.
    const store = new PostgresEventStore(pool, 'fw_events');
    await store.migrate();

    @Module({
      imports: [CqrsModule.forRoot()],
      providers: [
        { provide: DATABASE_POOL, useValue: pool },
        { provide: EVENT_STORE, useValue: store },
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
      ],
    })
    class InventoryModule {}

    this.app = await NestFactory.createApplicationContext(InventoryModule, { logger: false });
    await this.app.init();
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
}

/** hawkBit's error body. */
export const hawkbitError = {
  exceptionClass: expect.any(String),
  errorCode: expect.any(String),
  message: expect.any(String),
};
