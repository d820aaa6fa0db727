import { Pool, type PoolClient } from 'pg';
import { migrateSchema, withTransaction } from '@fleetwave/platform';
import { testDatabaseUrl, uniqueName } from '@fleetwave/testing';
import { inventoryMigrationFor } from '../../inventory/inventory.migration';
import type { TargetStatus } from './target-status.rules';
import { TargetStatusStore } from './target-status.store';

/**
 * The two status writes of a rollout (pending, then final) on a group of targets that fill whole
 * pages, while a transaction that began before the first write still runs, so that neither older
 * version can be pruned: both writes must stay heap-only (no index entry written).
 */
describe('target status writes stay heap-only (Postgres)', () => {
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 4 });
  const schema = uniqueName('target_hot');
  const store = new TargetStatusStore(schema);

  beforeAll(() => migrateSchema(pool, inventoryMigrationFor(schema)));
  afterAll(async () => {
    await pool.query(`drop schema if exists ${schema} cascade`);
    await pool.end();
  });

  /** Writes the statuses in one transaction; returns its updates and how many of them were heap-only. */
  const write = (targets: TargetStatus[]) =>
    withTransaction(pool, async (tx: PoolClient) => {
      // The backend's counts not yet flushed to the shared statistics: read before and after.
      const counts = async () => {
        const { rows } = await tx.query<{ upd: string; hot: string }>(
          `select n_tup_upd as upd, n_tup_hot_upd as hot from pg_stat_xact_user_tables
            where schemaname = $1 and relname = 'targets'`,
          [schema],
        );
        return { upd: Number(rows[0].upd), hot: Number(rows[0].hot) };
      };
      const before = await counts();
      await store.write(tx, targets);
      const after = await counts();
      return { updated: after.upd - before.upd, heapOnly: after.hot - before.hot };
    });

  it('keeps the pending and the final write of 500 targets on their pages', async () => {
    const { rows } = await pool.query<{ id: string }>(
      `insert into ${schema}.targets (controller_id, name, attributes, created_by, last_modified_by,
         last_controller_request_at)
       select 'device-' || lpad(g::text, 6, '0'), 'device-' || lpad(g::text, 6, '0'),
         jsonb_build_object('hw', 'board-rev-' || g % 7, 'fw', '1.2.' || g % 13, 'site', 'hall-' || g % 5),
         'test', 'test', now()
       from generate_series(1, 500) g
       returning id`,
    );
    const ids = rows.map((r) => Number(r.id));
    const current = await withTransaction(pool, (tx) => store.lock(tx, ids));
    const reader = await pool.connect();
    try {
      await reader.query('begin isolation level repeatable read');
      await reader.query(`select count(*) from ${schema}.targets`);

      const pending = current.map((t) => ({
        ...t,
        updateStatus: 'pending',
        statusActionId: t.targetId,
        statusActionAt: 1,
      }));
      const first = await write(pending);
      const second = await write(pending.map((t) => ({ ...t, updateStatus: 'in_sync' })));

      expect(first).toEqual({ updated: 500, heapOnly: 500 });
      expect(second).toEqual({ updated: 500, heapOnly: 500 });
    } finally {
      await reader.query('rollback');
      reader.release();
    }
  });
});
