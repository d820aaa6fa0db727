import pg from 'pg';
import { testDatabaseUrl, uniqueName } from '@fleetwave/testing';
import type { SchemaMigration, SchemaMigrationPlan } from './schema-migration';
import { migrateSchema } from './schema-migrator';

const pools: pg.Pool[] = [];
const schemas: string[] = [];
const newPool = (): pg.Pool => {
  const pool = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });
  pools.push(pool);
  return pool;
};
const pool = newPool();
const freshSchema = (): string => {
  const schema = uniqueName('migrations_test');
  schemas.push(schema);
  return schema;
};

/** What the service kit ran before versioning: one idempotent string. */
const legacyDdl = (schema: string): string => `
create schema if not exists ${schema};
create table if not exists ${schema}.devices (id bigint primary key, name text not null);
`;

const baseline = (schema: string): SchemaMigration => ({ id: '001-create-devices', up: legacyDdl(schema) });
// Deliberately not idempotent: a second run fails, a concurrent double run would count twice.
const addVendor = (schema: string): SchemaMigration => ({
  id: '002-add-vendor',
  up: `alter table ${schema}.devices add column vendor text not null default 'unknown';
       create table ${schema}.applied (step text primary key);
       insert into ${schema}.applied values ('002');`,
});
const fillVendor = (schema: string): SchemaMigration => ({
  id: '003-fill-vendor',
  up: async (client) => {
    const rows = await client.query<{ id: string }>(`select id from ${schema}.devices where vendor = $1`, ['unknown']);
    await client.query(`update ${schema}.devices set vendor = 'acme' where id = any($1::bigint[])`, [
      rows.map((row) => row.id),
    ]);
    await client.query(`insert into ${schema}.applied values ('003')`);
  },
});

const history = async (plan: SchemaMigrationPlan): Promise<string[]> =>
  (await pool.query(`select name from ${plan.schema}.${plan.table ?? 'schema_migrations'} order by id`)).rows.map(
    (row) => row.name,
  );

afterAll(async () => {
  for (const schema of schemas) await pool.query(`drop schema if exists ${schema} cascade`);
  await Promise.all(pools.map((p) => p.end()));
});

describe('migrateSchema', () => {
  it('applies every migration of a fresh schema in order, then none on a rerun', async () => {
    const schema = freshSchema();
    const plan = { schema, migrations: [baseline(schema), addVendor(schema)] };

    expect(await migrateSchema(pool, plan)).toEqual(['001-create-devices', '002-add-vendor']);
    expect(await history(plan)).toEqual(['001-create-devices', '002-add-vendor']);

    expect(await migrateSchema(pool, plan)).toEqual([]);
    expect(await history(plan)).toEqual(['001-create-devices', '002-add-vendor']);
  });

  it('applies only a migration appended later, and code migrations see the data', async () => {
    const schema = freshSchema();
    await migrateSchema(pool, { schema, migrations: [baseline(schema), addVendor(schema)] });
    await pool.query(`insert into ${schema}.devices (id, name) values (1, 'a'), (2, 'b')`);

    const later = { schema, migrations: [baseline(schema), addVendor(schema), fillVendor(schema)] };
    expect(await migrateSchema(pool, later)).toEqual(['003-fill-vendor']);

    const devices = await pool.query(`select id, vendor from ${schema}.devices order by id`);
    expect(devices.rows).toEqual([
      { id: '1', vendor: 'acme' },
      { id: '2', vendor: 'acme' },
    ]);
    expect((await pool.query(`select step from ${schema}.applied order by step`)).rows).toEqual([
      { step: '002' },
      { step: '003' },
    ]);
  });

  it('applies each migration once when instances start at the same time', async () => {
    const schema = freshSchema();
    const plan = { schema, migrations: [baseline(schema), addVendor(schema), fillVendor(schema)] };

    const runs = await Promise.all([newPool(), newPool(), newPool()].map((instance) => migrateSchema(instance, plan)));

    expect(runs.flat().sort()).toEqual(['001-create-devices', '002-add-vendor', '003-fill-vendor']);
    expect(await history(plan)).toEqual(['001-create-devices', '002-add-vendor', '003-fill-vendor']);
    expect((await pool.query(`select step from ${schema}.applied order by step`)).rows).toEqual([
      { step: '002' },
      { step: '003' },
    ]);
  });

  it('adopts a schema created by the unversioned DDL: the baseline runs over it and keeps its rows', async () => {
    const schema = freshSchema();
    await pool.query(legacyDdl(schema));
    await pool.query(`insert into ${schema}.devices (id, name) values (7, 'kept')`);

    const plan = { schema, migrations: [baseline(schema), addVendor(schema)] };
    expect(await migrateSchema(pool, plan)).toEqual(['001-create-devices', '002-add-vendor']);

    const devices = await pool.query(`select id, name, vendor from ${schema}.devices`);
    expect(devices.rows).toEqual([{ id: '7', name: 'kept', vendor: 'unknown' }]);
  });

  it('keeps the migrations before a failing one and retries the failed one on the next run', async () => {
    const schema = freshSchema();
    const broken: SchemaMigration = { id: '002-add-vendor', up: `alter table ${schema}.no_such_table add x int` };

    await expect(migrateSchema(pool, { schema, migrations: [baseline(schema), broken] })).rejects.toThrow(
      /migration 002-add-vendor: .*no_such_table/,
    );
    expect(await history({ schema, migrations: [] })).toEqual(['001-create-devices']);

    expect(await migrateSchema(pool, { schema, migrations: [baseline(schema), addVendor(schema)] })).toEqual([
      '002-add-vendor',
    ]);
  });

  it('keeps separate histories per table, so a library numbers its steps on its own', async () => {
    const schema = freshSchema();
    await migrateSchema(pool, { schema, migrations: [baseline(schema)] });
    const library = {
      schema,
      table: 'library_migrations',
      migrations: [{ id: '001-create-library', up: `create table ${schema}.library (k text primary key)` }],
    };

    expect(await migrateSchema(pool, library)).toEqual(['001-create-library']);
    expect(await history(library)).toEqual(['001-create-library']);
    expect(await history({ schema, migrations: [] })).toEqual(['001-create-devices']);
  });
});
