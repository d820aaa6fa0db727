import { Module, type INestApplication } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import type { AddressInfo } from 'node:net';
import { Client, Pool } from 'pg';
import { bootstrapService, HawkbitExceptionFilter, migrateSchema, readPlatformConfig } from '@fleetwave/platform';
import { eventually, testDatabaseUrl, uniqueName } from '@fleetwave/testing';
import { INVENTORY_SCHEMA, inventoryMigration } from './inventory/inventory.migration';
import { PostgresEventStore } from '@fleetwave/event-store';
import { DATABASE_POOL, EVENT_STORE } from './shared/tokens';
import { CreateTargetsController } from './targets/commands/create-targets/create-targets.controller';
import { ListTargetsController } from './targets/queries/list-targets/list-targets.controller';
import { SoftwareModulesController } from './repository/commands/create-software-modules/create-software-modules.controller';
import { DistributionSetsController } from './repository/commands/create-distribution-sets/create-distribution-sets.controller';
import { DistributionSetLookup } from './repository/queries/distribution-set.lookup';
import { ModuleAssigner } from './repository/commands/assign-modules/module-assigner';
import { RolloutCommandsController } from './rollouts/commands/rollout-commands.controller';
import { RolloutLifecycleController } from './rollouts/commands/rollout-lifecycle.controller';

/**
 * rollout-command's HTTP edge, started in-process the way the service starts (bootstrapService)
 * against its own fresh database: every bad request must be a hawkBit-shaped 4xx, never a 500,
 * and lists must be bounded.
 */
describe('rollout-command HTTP edge (Postgres)', () => {
  const database = uniqueName('fw_edge');
  const admin = new Client({ connectionString: testDatabaseUrl() });
  let pool: Pool;
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`create database ${database}`);
    const url = new URL(testDatabaseUrl());
    url.pathname = `/${database}`;
    pool = new Pool({ connectionString: url.toString(), max: 4 });
    await migrateSchema(pool, inventoryMigration);
    await pool.query(
      `insert into ${INVENTORY_SCHEMA}.targets (controller_id, name)
       select 'edge-' || lpad(i::text, 3, '0'), 'edge ' || i from generate_series(1, 120) as i`,
    );

    @Module({
      imports: [CqrsModule.forRoot()],
      controllers: [
        CreateTargetsController,
        ListTargetsController,
        SoftwareModulesController,
        DistributionSetsController,
        RolloutCommandsController,
        RolloutLifecycleController,
      ],
      providers: [
        { provide: DATABASE_POOL, useValue: pool },
        // Refused requests never reach it; the rollout controllers' position stamp needs it wired.
        { provide: EVENT_STORE, useValue: new PostgresEventStore(pool, 'fw_events') },
        DistributionSetLookup,
        ModuleAssigner,
        { provide: APP_FILTER, useClass: HawkbitExceptionFilter },
      ],
    })
    class EdgeModule {}

    app = await bootstrapService(EdgeModule, {
      ...readPlatformConfig('rollout-command-edge-test', 1, {}),
      httpPort: 0,
    });
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/rest/v1`;
  });

  afterAll(async () => {
    await app?.close();
    await pool?.end();
    // The pool's sockets close asynchronously after end(); the drop succeeds once they are gone.
    await eventually(() => admin.query(`drop database if exists ${database}`), { description: 'drop test database' });
    await admin.end();
  });

  const send = async (method: string, path: string, body?: string, type = 'application/json') => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': type },
      body,
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const json = (value: unknown) => JSON.stringify(value);
  const rollout = (change: object) =>
    json({ name: uniqueName('r'), distributionSetId: 1, targetFilterQuery: 'name==edge*', amountGroups: 2, ...change });
  const hawkbitShape = {
    exceptionClass: expect.any(String),
    errorCode: expect.any(String),
    message: expect.any(String),
  };
  const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

  it.each([
    ['forcetime 1.5', 400, 'POST', '/rollouts', rollout({ forcetime: 1.5 })],
    [
      'startAt 1e300',
      400,
      'POST',
      '/rollouts',
      '{"name":"r","distributionSetId":1,"targetFilterQuery":"x==y","startAt":1e300}',
    ],
    ['distributionSetId 1e20', 400, 'POST', '/rollouts', rollout({ distributionSetId: 1e20 })],
    ['a threshold of 101', 400, 'POST', '/rollouts', rollout({ successCondition: { expression: 101 } })],
    ['amountGroups 100000', 400, 'POST', '/rollouts', rollout({ amountGroups: 100_000 })],
    [
      'an error threshold of 101',
      400,
      'POST',
      '/rollouts',
      rollout({ errorCondition: { condition: 'THRESHOLD', expression: 101 } }),
    ],
    [
      'an error count of 2^31',
      400,
      'POST',
      '/rollouts',
      rollout({ errorCondition: { condition: 'ERROR_COUNT', expression: 2 ** 31 } }),
    ],
    [
      'an ERROR_COUNT success condition',
      400,
      'POST',
      '/rollouts',
      rollout({ successCondition: { condition: 'ERROR_COUNT', expression: 1 } }),
    ],
    ['a NUL in a rollout name', 400, 'POST', '/rollouts', rollout({ name: 'r\u0000' })],
    ['a NUL in a description', 400, 'POST', '/rollouts', rollout({ description: '\u0000' })],
    ['a NUL in a target filter', 400, 'POST', '/rollouts', rollout({ targetFilterQuery: 'name==\u0000' })],
    ['a name of 129 characters', 400, 'POST', '/rollouts', rollout({ name: 'n'.repeat(129) })],
    ['a body nested 100,000 deep', 400, 'POST', '/rollouts', deep(100_000)],
    ['a body nested 33 deep', 400, 'POST', '/targets', deep(33)],
    ['a 2 MB body', 413, 'POST', '/rollouts', json({ name: 'x'.repeat(2 * 1024 * 1024) })],
    ['malformed JSON', 400, 'POST', '/rollouts', '{"name": '],
    ['a text body', 415, 'POST', '/rollouts', 'name=x'],
    ['an array as a rollout', 400, 'POST', '/rollouts', '[]'],
    ['a NUL in a controllerId', 400, 'POST', '/targets', json([{ controllerId: 'dev\u00001' }])],
    ['a controllerId of 257 characters', 400, 'POST', '/targets', json([{ controllerId: 'c'.repeat(257) }])],
    ['an object as a target list', 400, 'POST', '/targets', json({ controllerId: 'x' })],
    [
      'a module id 1e20',
      400,
      'POST',
      '/distributionsets',
      json([{ name: 'n', version: '1', modules: [{ id: 1e20 }] }]),
    ],
    [
      'a NUL in a module vendor',
      400,
      'POST',
      '/softwaremodules',
      json([{ name: 'n', version: '1', type: 't', vendor: '\u0000' }]),
    ],
    ['rollout id 99999999999999999999', 404, 'POST', '/rollouts/99999999999999999999/start', undefined],
    ['rollout id abc', 400, 'POST', '/rollouts/abc/start', undefined],
    ['rollout id abc on pause', 400, 'POST', '/rollouts/abc/pause', undefined],
    ['rollout id 0 on delete', 404, 'DELETE', '/rollouts/0', undefined],
    ['a NUL in a rollout name update', 400, 'PUT', '/rollouts/1', json({ name: 'r\u0000' })],
    ['a remark of 513 characters', 400, 'POST', `/rollouts/1/approve?remark=${'x'.repeat(513)}`, undefined],
    ['distribution set id 99999999999999999999', 404, 'GET', '/distributionsets/99999999999999999999', undefined],
    ['distribution set id -1', 400, 'GET', '/distributionsets/-1', undefined],
    ['software module id abc', 400, 'GET', '/softwaremodules/abc', undefined],
    ['software module id 1e3', 400, 'GET', '/softwaremodules/1e3', undefined],
    ['a NUL in a controllerId path', 400, 'GET', '/targets/dev%00', undefined],
    ['limit=abc', 400, 'GET', '/targets?limit=abc', undefined],
    ['limit=-1', 400, 'GET', '/targets?limit=-1', undefined],
    ['limit=100000', 400, 'GET', '/targets?limit=100000', undefined],
    ['offset=-5', 400, 'GET', '/targets?offset=-5', undefined],
    ['offset=1e20', 400, 'GET', '/targets?offset=100000000000000000000', undefined],
    ['a NUL in q', 400, 'GET', '/targets?q=name%3D%3D%00', undefined],
  ])('%s → %i with hawkBit’s error body', async (_case, status, method, path, body) => {
    const answer = await send(method, path, body, body === 'name=x' ? 'application/x-www-form-urlencoded' : undefined);
    expect(answer).toEqual({ status, body: hawkbitShape });
  });

  it('says why a body is refused', async () => {
    expect((await send('POST', '/rollouts', deep(100_000))).body).toEqual({
      exceptionClass: 'MessageNotReadableException',
      errorCode: 'hawkbit.server.error.rest.body.notReadable',
      message: 'request body nests arrays or objects deeper than 32 levels',
    });
    expect((await send('POST', '/rollouts', json({ name: 'x'.repeat(2 * 1024 * 1024) }))).body).toMatchObject({
      errorCode: 'hawkbit.server.error.rest.body.tooLarge',
      message: 'request body exceeds 1048576 bytes',
    });
    const refused = await send(
      'POST',
      '/rollouts',
      rollout({ forcetime: 1.5, startAt: 1e300, distributionSetId: 1e20 }),
    );
    expect(refused.body.errorCode).toBe('hawkbit.server.error.repo.constraintViolation');
    for (const field of ['forcetime', 'startAt', 'distributionSetId']) expect(refused.body.message).toContain(field);
  });

  it('bounds target lists: 50 by default, at most 500, offset applied', async () => {
    const first = await send('GET', '/targets');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: 120, size: 50 });
    expect(first.body.content[0].controllerId).toBe('edge-001');

    const all = await send('GET', '/targets?limit=500');
    expect(all.body).toMatchObject({ total: 120, size: 120 });

    const tail = await send('GET', '/targets?offset=100&limit=50&sort=controllerId:ASC');
    expect(tail.body.size).toBe(20);
    expect(tail.body.content[0].controllerId).toBe('edge-101');
  });

  it('still creates valid targets and stores none of the refused ones', async () => {
    const created = await send('POST', '/targets', json([{ controllerId: 'edge-new', name: 'ok', extra: 'dropped' }]));
    expect(created.status).toBe(201);
    expect(created.body[0]).toMatchObject({ controllerId: 'edge-new', name: 'ok' });
    const { rows } = await pool.query<{ n: string }>(
      `select count(*) as n from ${INVENTORY_SCHEMA}.targets where controller_id not like 'edge-%'`,
    );
    expect(Number(rows[0].n)).toBe(0);
  });
});
