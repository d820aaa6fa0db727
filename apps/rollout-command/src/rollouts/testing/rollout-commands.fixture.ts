import { Module, type INestApplication } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { Client, Pool } from 'pg';
import { PostgresEventStore } from '@fleetwave/event-store';
import {
  bootstrapService,
  GrpcServer,
  grpcServiceDefinition,
  HawkbitExceptionFilter,
  HawkbitValidationPipe,
  internalClient,
  migrateSchema,
  readPlatformConfig,
  type HawkbitErrorBody,
  type InternalClient,
  type ServesGrpc,
} from '@fleetwave/platform';
import { CreateRolloutDto, InternalServices, toDefinitionMessage, type InternalServiceKey } from '@fleetwave/contracts';
import { eventually, testDatabaseUrl, uniqueName } from '@fleetwave/testing';
import { INVENTORY_SCHEMA, inventoryMigration } from '../../inventory/inventory.migration';
import { inventoryGrpcServices, inventoryProviders } from '../../inventory/inventory.providers';
import { DATABASE_POOL, EVENT_STORE } from '../../shared/tokens';
import { rolloutStream } from '../rollout.repository';
import { rolloutProviders } from '../rollouts.providers';
import { rolloutsMigration } from '../rollouts.migration';
import type { RolloutQuotas } from '../domain/rollout-quotas';
import { ROLLOUT_QUOTAS } from '../rollout-quotas.config';
import { RolloutCommandsGrpc } from '../rollout-commands.grpc';
import { SystemConfigsGrpc } from '../../system/system-configs.grpc';

type Json = Record<string, unknown>;

/** The internal `Caller`, as the gateway sends who asks and what they may do. */
export interface Caller {
  user: string;
  permissions: string[];
}

/** The rollout permissions of an operator who may do everything with rollouts. */
export const rolloutPermissions = [
  'READ_ROLLOUT',
  'CREATE_ROLLOUT',
  'UPDATE_ROLLOUT',
  'DELETE_ROLLOUT',
  'HANDLE_ROLLOUT',
  'APPROVE_ROLLOUT',
];

/** A caller; by default one holding every rollout permission. */
export const caller = (user: string, permissions = rolloutPermissions): Caller => ({ user, permissions });

const createBody = { type: 'body', metatype: CreateRolloutDto } as const;

/** Every internal service rollout-command serves, as the app serves them on one address. */
const internalGrpcServices = [RolloutCommandsGrpc, SystemConfigsGrpc, ...inventoryGrpcServices];

/**
 * rollout-command's rollouts started in-process as the service starts them (bootstrapService,
 * the app's providers, the creation, intake and scheduled-start workers running), against a
 * fresh database with the inventory migrated and targets `<prefix>-<i>` and one distribution set
 * seeded. Its internal gRPC API is served on a port of its own, every service of it as in the
 * app: {@link commands}, {@link configs} and {@link client} call it as the gateway does.
 */
export class RolloutCommandsFixture {
  readonly database = uniqueName('fw_life');
  private readonly admin = new Client({ connectionString: testDatabaseUrl() });
  pool!: Pool;
  store!: PostgresEventStore;
  app!: INestApplication;
  /** Clients of the app's `fleetwave.internal.v1.RolloutCommands` and `SystemConfigs`. */
  commands!: InternalClient;
  configs!: InternalClient;
  private readonly clients = new Map<InternalServiceKey, InternalClient>();
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
      providers: [
        { provide: DATABASE_POOL, useValue: pool },
        { provide: EVENT_STORE, useValue: store },
        ...rolloutProviders,
        ...inventoryProviders,
        RolloutCommandsGrpc,
        {
          provide: GrpcServer,
          useFactory: (...services: ServesGrpc[]) =>
            new GrpcServer(
              '127.0.0.1:0',
              services.map((s) => s.service()),
              'test',
            ),
          inject: internalGrpcServices,
        },
        ...(this.quotas ? [{ provide: ROLLOUT_QUOTAS, useValue: this.quotas }] : []),
        { provide: APP_FILTER, useClass: HawkbitExceptionFilter },
      ],
    })
    class RolloutCommandsModule {}

    this.app = await bootstrapService(RolloutCommandsModule, {
      ...readPlatformConfig('rollout-command-rollouts-test', 1, {}),
      httpPort: 0,
    });
    this.commands = this.client('commands');
    this.configs = this.client('configs');
  }

  /** A client of one of the app's internal services (e.g. `targets`), as the gateway calls it. */
  client(key: InternalServiceKey): InternalClient {
    let client = this.clients.get(key);
    if (!client) {
      const { file, name } = InternalServices[key];
      client = internalClient(`127.0.0.1:${this.app.get(GrpcServer).port}`, grpcServiceDefinition(file, name));
      this.clients.set(key, client);
    }
    return client;
  }

  private closeClients(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }

  /**
   * A create body as the gateway sends it on: validated by its DTO, its defaults filled in. A body
   * the gateway refuses fails the test here, so that no refusal of the gateway's passes for one
   * of the service's.
   */
  async definition(body: Json): Promise<Json> {
    const validated = await new HawkbitValidationPipe().transform(body, createBody).catch((refused: unknown) => {
      throw new Error(`the gateway refuses this body: ${JSON.stringify((refused as { body?: unknown }).body)}`);
    });
    return toDefinitionMessage(validated);
  }

  /** `CreateRollout` of that body (validated as the gateway does); the created rollout's view. */
  async create(body: Json, by: Caller = caller('creator')): Promise<Json & { id: number }> {
    const answer = await this.commands.call('CreateRollout', { caller: by, definition: await this.definition(body) });
    return answer.rollout as Json & { id: number };
  }

  /** A command that takes the rollout alone (`StartRollout`, `DeleteRollout`, …), as `by`. */
  command(method: string, rolloutId: number, by: Caller = caller('op')): Promise<Json> {
    return this.commands.call(method, { caller: by, rolloutId });
  }

  /** `SetConfig` of one setting to a value (sent as JSON, as the gateway sends it). */
  setConfig(key: string, value: unknown, by: Caller = caller('tenant-admin')): Promise<Json> {
    return this.configs.call('SetConfig', { caller: by, value: { key, valueJson: JSON.stringify(value) } });
  }

  /** `ResetConfig` of one setting: back to its default. */
  resetConfig(key: string, by: Caller = caller('tenant-admin')): Promise<Json> {
    return this.configs.call('ResetConfig', { caller: by, key });
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
    this.closeClients();
    await this.app.close();
  }

  /** Starts the application again on the same database, as a restarted process. */
  async restartApp(): Promise<void> {
    await this.bootApp();
  }

  async stop(): Promise<void> {
    this.closeClients();
    await this.app?.close();
    await this.pool?.end();
    // The pool's sockets close asynchronously after end(); the drop succeeds once they are gone.
    await eventually(() => this.admin.query(`drop database if exists ${this.database}`), {
      description: 'drop test database',
    });
    await this.admin.end();
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

/**
 * The whole answer an internal call was refused with: its status and hawkBit body (exception
 * class, error code and message), or undefined when it succeeded. `refusalOf` tells the status
 * and error code alone.
 */
export async function refusedWith(
  work: Promise<unknown>,
): Promise<{ status: number; body: HawkbitErrorBody } | undefined> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e as { getStatus(): number; body: HawkbitErrorBody },
  );
  return error && { status: error.getStatus(), body: error.body };
}
