import type { Pool } from 'pg';
import type { BatchItem } from '@fleetwave/messaging';
import { createPool, withTransaction } from '@fleetwave/platform';
import { testDatabaseUrl, uniqueName } from '@fleetwave/testing';
import { rolloutPositionsMigration } from './rollout-position.migration';
import { recordPositions, RolloutPositions } from './rollout-position.projection';
import { relayed } from './testing/relayed-event.fixture';

/** The wait for a position, over the internal API, is in rollout-queries.grpc.int.spec.ts. */
describe('rollout positions (how far the read model has projected each rollout stream)', () => {
  const schema = uniqueName('position');
  let pool: Pool;
  let positions: RolloutPositions;

  beforeAll(async () => {
    pool = createPool(testDatabaseUrl(), 'rollout-position-test', 3);
    await pool.query(`create schema ${schema}`);
    await pool.query(rolloutPositionsMigration(schema).up as string);
    positions = new RolloutPositions((sql, params) => pool.query(sql, params).then((r) => r.rows), schema);
  });
  afterAll(async () => {
    await pool.query(`drop schema ${schema} cascade`);
    await pool.end();
  });

  const record = (items: BatchItem<unknown>[]) => withTransaction(pool, (tx) => recordPositions(tx, schema, items));

  it('keeps the highest revision of each rollout stream, never going back', async () => {
    await record([
      relayed('rollout-41', 0, 1),
      relayed('rollout-41', 2, 2),
      relayed('rollout-41-membership', 9, 3),
      relayed('rollout-42', 5, 4),
      relayed('rollout-43', undefined, 5),
    ]);
    expect([await positions.revision(41), await positions.revision(42), await positions.revision(43)]).toEqual([
      2, 5, -1,
    ]);
    // A redelivered, older batch moves nothing.
    await record([relayed('rollout-41', 1, 6)]);
    expect(await positions.revision(41)).toBe(2);
  });
});
