import { Module, type INestApplication } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import type { AddressInfo } from 'node:net';
import { Client, Pool } from 'pg';
import { PostgresEventStore } from '@fleetwave/event-store';
import {
  bootstrapService,
  GrpcServer,
  grpcServiceDefinition,
  HawkbitExceptionFilter,
  internalClient,
  migrateSchema,
  readPlatformConfig,
  type InternalClient,
} from '@fleetwave/platform';
import { ProtoFiles } from '@fleetwave/contracts';
import { eventually, testDatabaseUrl, uniqueName } from '@fleetwave/testing';
import { INVENTORY_SCHEMA, inventoryMigration } from '../../inventory/inventory.migration';
import { DATABASE_POOL, EVENT_STORE } from '../../shared/tokens';
import { rolloutStream } from '../rollout.repository';
import { rolloutControllers, rolloutProviders } from '../rollouts.providers';
import { rolloutsMigration } from '../rollouts.migration';
import type { RolloutQuotas } from '../domain/rollout-quotas';
import { ROLLOUT_QUOTAS } from '../rollout-quotas.config';
import { ROLLOUT_COMMANDS_SERVICE, RolloutCommandsGrpc } from '../rollout-commands.grpc';
import { SYSTEM_CONFIGS_SERVICE, SystemConfigsGrpc } from '../../system/system-configs.grpc';

export interface HttpAnswer {
  status: number;
  body: any;
}

/**
 * rollout-command's rollout and settings endpoints started in-process as the service starts them
 * (bootstrapService, the app's providers, the creation worker running), against a fresh database
 * with the inventory migrated and targets `<prefix>-<i>` and one distribution set seeded. The
 * internal gRPC API is served too, on a port of its own ({@link commands} is a client of it).
 */
export class RolloutHttpFixture {
  readonly database = uniqueName('fw_life');
  private readonly admin = new Client({ connectionString: testDatabaseUrl() });
  pool!: Pool;
  store!: PostgresEventStore;
  app!: INestApplication;
  /** Clients of the app's `fleetwave.internal.v1.RolloutCommands` and `SystemConfigs`, as the gateway calls them. */
  commands!: InternalClient;
  configs!: InternalClient;
  private base = '';
  distributionSetId = 0;
  private quotas?: RolloutQuotas;

  /** `quotas` replaces the ones read from the environment. */
  async start(targets: { prefix: string; count: number }, quotas?: RolloutQuotas): Promise<void> {
    this.quotas = quotas;
    await this.admin.connect();
    await this.admin.query(`create database ${this.database}`);
    const url = new URL(testDatabaseUrl());
    url.pathname = `/${this.database}`;
    this.pool = new Pool({ connectionString: url.toString(), max: 6 });
    await migrateSchema(this.pool, inventoryMigration);
    await migrateSchema(this.pool, rolloutsMigration);
    this.store = new PostgresEventStore(this.pool, 'fw_events', {
      logger: { warn: () => undefined, error: () => undefined },
    });
    await this.store.migrate();
    await this.pool.query(
      `insert into ${INVENTORY_SCHEMA}.targets (controller_id, name, created_at)
       select $1 || '-' || i, $1 || '-' || i, now() - interval '1 minute' from generate_series(1, $2::int) as i`,
      [targets.prefix, targets.count],
    );
    this.distributionSetId = await this.createDistributionSet('fw', true);

    await this.bootApp();
  }

  private async bootApp(): Promise<void> {
    const pool = this.pool;
    const store = this.store;
    @Module({
      imports: [CqrsModule.forRoot()],
      controllers: rolloutControllers,
      providers: [
        { provide: DATABASE_POOL, useValue: pool },
        { provide: EVENT_STORE, useValue: store },
        ...rolloutProviders,
        RolloutCommandsGrpc,
        {
          provide: GrpcServer,
          useFactory: (commands: RolloutCommandsGrpc, configs: SystemConfigsGrpc) =>
            new GrpcServer('127.0.0.1:0', [commands.service(), configs.service()], 'test'),
          inject: [RolloutCommandsGrpc, SystemConfigsGrpc],
        },
        ...(this.quotas ? [{ provide: ROLLOUT_QUOTAS, useValue: this.quotas }] : []),
        { provide: APP_FILTER, useClass: HawkbitExceptionFilter },
      ],
    })
    class LifecycleModule {}

    this.app = await bootstrapService(LifecycleModule, {
      ...readPlatformConfig('rollout-command-lifecycle-test', 1, {}),
      httpPort: 0,
    });
    this.base = `http://127.0.0.1:${(this.app.getHttpServer().address() as AddressInfo).port}/rest/v1`;
    const address = `127.0.0.1:${this.app.get(GrpcServer).port}`;
    this.commands = internalClient(
      address,
      grpcServiceDefinition(ProtoFiles.internalRollouts, ROLLOUT_COMMANDS_SERVICE),
    );
    this.configs = internalClient(address, grpcServiceDefinition(ProtoFiles.internalSystem, SYSTEM_CONFIGS_SERVICE));
  }

  /** A distribution set named `name` 1.0, holding one software module or (incomplete) none. */
  async createDistributionSet(name: string, withModule: boolean): Promise<number> {
    const { rows } = await this.pool.query<{ id: string }>(
      `with module as (
         insert into ${INVENTORY_SCHEMA}.software_modules (name, version, type, created_by, last_modified_by)
         select $1, '1.0', 'os', 'test', 'test' where $2 returning id)
       insert into ${INVENTORY_SCHEMA}.distribution_sets (name, version, type, module_ids, created_by, last_modified_by)
       values ($1, '1.0', 'os', array(select id from module), 'test', 'test') returning id`,
      [name, withModule],
    );
    return Number(rows[0].id);
  }

  /** Stops the application only (the database stays), as a killed process leaves it. */
  async stopApp(): Promise<void> {
    this.commands.close();
    this.configs.close();
    await this.app.close();
  }

  /** Starts the application again on the same database, as a restarted process. */
  async restartApp(): Promise<void> {
    await this.bootApp();
  }

  async stop(): Promise<void> {
    this.commands?.close();
    this.configs?.close();
    await this.app?.close();
    await this.pool?.end();
    // The pool's sockets close asynchronously after end(); the drop succeeds once they are gone.
    await eventually(() => this.admin.query(`drop database if exists ${this.database}`), {
      description: 'drop test database',
    });
    await this.admin.end();
  }

  async send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  /** The rollout stream's events as type and data, in order. */
  async events(rolloutId: number): Promise<{ type: string; data: Record<string, unknown> }[]> {
    const events = await this.store.readStream(rolloutStream(rolloutId));
    return events.map((e) => ({ type: e.type, data: e.data as Record<string, unknown> }));
  }

  /** Waits, bounded, until the rollout stream's last event is of the type. */
  async lastEventIs(rolloutId: number, type: string): Promise<void> {
    await eventually(
      async () => {
        const events = await this.events(rolloutId);
        expect(events[events.length - 1]?.type).toBe(type);
      },
      { timeoutMs: 20_000, description: `rollout ${rolloutId} reaches ${type}` },
    );
  }
}
