import pg from 'pg';
import { migrateSchema } from '@fleetwave/platform';
import { testDatabaseUrl, uniqueName } from '@fleetwave/testing';
import { dispatchMigrationFor } from './actions.migration';

/** The open-actions step on a schema that already holds actions, as an upgrade meets it. */
describe('dispatch migration 006-open-actions', () => {
  const pool = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });
  const schema = uniqueName('dispatch_upgrade');

  afterAll(async () => {
    await pool.query(`drop schema if exists ${schema} cascade`);
    await pool.end();
  });

  it('enters the non-final actions of earlier releases among the open ones and leaves no index on the status', async () => {
    const full = dispatchMigrationFor(schema);
    const upTo005 = { ...full, migrations: full.migrations.filter((m) => m.id < '006') };
    await migrateSchema(pool, upTo005);
    const statuses = ['scheduled', 'running', 'canceling', 'finished', 'error', 'canceled', 'wait_for_confirmation'];
    await pool.query(
      `insert into ${schema}.actions (rollout_id, group_id, target_id, controller_id, status)
       select 7, 70 + (i % 2), i, 'dev-' || i, s from unnest($1::text[]) with ordinality as x(s, i)`,
      [statuses],
    );

    expect(await migrateSchema(pool, full)).toEqual(['006-open-actions']);

    const { rows: open } = await pool.query<{ status: string; group_id: string }>(
      `select a.status, o.group_id from ${schema}.open_actions o
         join ${schema}.actions a on a.id = o.action_id and a.rollout_id = o.rollout_id and a.group_id = o.group_id
        order by o.action_id`,
    );
    expect(open.map((r) => r.status)).toEqual(['scheduled', 'running', 'canceling', 'wait_for_confirmation']);
    const { rows: indexes } = await pool.query<{ def: string }>(
      `select pg_get_indexdef(indexrelid) as def from pg_index where indrelid = '${schema}.actions'::regclass`,
    );
    expect(indexes.map((i) => i.def).filter((def) => /status|WHERE/.test(def))).toEqual([]);
    const { rows: options } = await pool.query<{ reloptions: string[] }>(
      `select reloptions from pg_class where oid = '${schema}.actions'::regclass`,
    );
    expect(options[0].reloptions).toEqual(['fillfactor=45']);
  });
});
