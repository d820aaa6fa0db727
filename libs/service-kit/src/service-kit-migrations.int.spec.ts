import { Logger } from '@nestjs/common';
import { Pool } from 'pg';
import { readPlatformConfig, type SchemaMigration } from '@fleetwave/platform';
import { testDatabaseUrl, uniqueName } from '@fleetwave/testing';
import { ServiceKit } from './service-kit';

describe('ServiceKit migrations (real Postgres)', () => {
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 2 });
  const schema = uniqueName('kit_migrations');
  const config = readPlatformConfig('kit-migrations-test', 1, { ...process.env, DATABASE_URL: testDatabaseUrl() });
  const kits: ServiceKit[] = [];

  const createNotes: SchemaMigration = {
    id: '001-create-notes',
    up: `create table if not exists ${schema}.notes (id bigint primary key, body text not null)`,
  };
  // Not idempotent: a second run would fail the start of the instance running it.
  const addAuthor: SchemaMigration = {
    id: '002-add-author',
    up: `alter table ${schema}.notes add column author text not null default 'system'`,
  };
  const instance = (migrations: SchemaMigration[]): ServiceKit => {
    const kit = new ServiceKit(config, schema).migration({ schema, migrations });
    kits.push(kit);
    return kit;
  };
  const history = async (): Promise<string[]> =>
    (await pool.query(`select name from ${schema}.schema_migrations order by id`)).rows.map((row) => row.name);

  beforeAll(() => Logger.overrideLogger(false));
  afterAll(async () => {
    await Promise.all(kits.map((kit) => kit.stop()));
    await pool.query(`drop schema if exists ${schema} cascade`);
    await pool.end();
  });

  it('migrates once when two instances start together, and a later release applies only its new step', async () => {
    await Promise.all([instance([createNotes]).start(), instance([createNotes]).start()]);
    expect(await history()).toEqual(['001-create-notes']);
    await pool.query(`insert into ${schema}.notes (id, body) values (1, 'before the upgrade')`);

    await Promise.all([instance([createNotes, addAuthor]).start(), instance([createNotes, addAuthor]).start()]);

    expect(await history()).toEqual(['001-create-notes', '002-add-author']);
    const notes = await pool.query(`select id, body, author from ${schema}.notes`);
    expect(notes.rows).toEqual([{ id: '1', body: 'before the upgrade', author: 'system' }]);
  });
});
