import { Client, Pool } from 'pg';
import { testDatabaseUrl, uniqueName } from '@fleetwave/testing';
import { migrateSchema } from '@fleetwave/platform';
import { INVENTORY_SCHEMA, inventoryMigration } from '../../../inventory/inventory.migration';
import { ApplicationError } from '../../../shared/application-error';
import { CreateTargetsController } from './create-targets.controller';

/** The create statement at fleet size, on a database of its own (the inventory schema is fixed). */
describe('POST /rest/v1/targets insert (Postgres)', () => {
  const database = uniqueName('fw_targets');
  const admin = new Client({ connectionString: testDatabaseUrl() });
  let pool: Pool;
  let controller: CreateTargetsController;

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`create database ${database}`);
    const url = new URL(testDatabaseUrl());
    url.pathname = `/${database}`;
    pool = new Pool({ connectionString: url.toString(), max: 2 });
    // The final forced drop may kill a connection the pool is still closing: expected, not a failure.
    pool.on('error', () => undefined);
    await migrateSchema(pool, inventoryMigration);
    controller = new CreateTargetsController(pool);
  });
  afterAll(async () => {
    await pool.end();
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.end();
  });

  const count = async (): Promise<number> =>
    Number((await pool.query<{ n: string }>(`select count(*) as n from ${INVENTORY_SCHEMA}.targets`)).rows[0].n);

  it('creates thousands of targets in one request and answers them in request order', async () => {
    const targets = Array.from({ length: 5_000 }, (_, i) => ({
      controllerId: `bulk-${String(4_999 - i).padStart(4, '0')}`,
      name: i % 2 === 0 ? `Bulk ${i}` : undefined,
      description: i === 1 ? 'second' : undefined,
    }));

    const created = await controller.create(targets, 'operator');

    expect(created.map((t) => t.controllerId)).toEqual(targets.map((t) => t.controllerId));
    expect(created[0]).toMatchObject({ name: 'Bulk 0', description: '', createdBy: 'operator' });
    expect(created[1]).toMatchObject({ name: 'bulk-4998', description: 'second' });
    expect(new Set(created.map((t) => t.id)).size).toBe(5_000);
    expect(await count()).toBe(5_000);
  });

  it('creates none of a request naming a known controllerId, and names the taken ones', async () => {
    const before = await count();
    const request = [{ controllerId: 'fresh-1' }, { controllerId: 'bulk-0042' }, { controllerId: 'fresh-2' }];

    const failure = await controller.create(request, 'operator').catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ApplicationError);
    expect((failure as ApplicationError).kind).toBe('conflict');
    expect((failure as ApplicationError).message).toContain('bulk-0042');
    expect((failure as ApplicationError).message).not.toContain('fresh-1');
    expect(await count()).toBe(before);
  });
});
