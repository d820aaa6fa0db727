import { Pool } from 'pg';
import { testDatabaseUrl } from '@fleetwave/testing';
import { retryTargetFilterQuery } from '../commands/retry-rollout/failed-targets.filter';
import { defaultChunkLimits } from './creation-chunk.step';
import { RolloutCreationWorker } from './rollout-creation.worker';
import { IntakeFixture } from './testing/intake.fixture';

/** xmin of a row and tx_id of an event name the same transaction modulo the xid epoch. */
const xidOf = (txId: string) => String(BigInt(txId) % 2n ** 32n);

/**
 * The membership table at creation (Postgres): every chunk of an auto split, an explicit split
 * and a retry writes the member rows of its events in its own transaction, so the table and the
 * membership stream always agree.
 */
describe('rollout member rows written with every creation chunk (Postgres)', () => {
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 4 });
  const fixture = new IntakeFixture(pool);

  beforeAll(() => fixture.migrate());
  afterAll(async () => {
    await fixture.dispose();
    await pool.end();
  });

  async function drain(targetsPerChunk = defaultChunkLimits.targetsPerChunk): Promise<number> {
    const worker = new RolloutCreationWorker(
      pool,
      fixture.step({ ...defaultChunkLimits, targetsPerChunk }),
      fixture.progress,
    );
    let chunks = 0;
    while (await worker.runOnce()) chunks++;
    return chunks;
  }

  /** The stream's members as rows, in target order, with the transaction of their event. */
  async function streamRows(rolloutId: number) {
    const events = await fixture.membership(rolloutId);
    return events
      .flatMap((e) =>
        e.data.members.map((m) => ({ groupId: e.data.groupId, targetId: m.targetId, txId: xidOf(e.txId) })),
      )
      .sort((a, b) => a.targetId - b.targetId);
  }

  it('an auto split of thousands of targets: one row per member, written by its chunk', async () => {
    const inSet = await fixture.seedTargets('auto', 12_000);
    const { totalTargets } = await fixture.createRollout(1, 'name==auto-*', 4);
    const chunks = await drain();
    expect(chunks).toBe(Math.ceil(totalTargets / defaultChunkLimits.targetsPerChunk));
    const rows = await fixture.memberRows(1);
    expect(rows).toHaveLength(inSet.length);
    expect(rows).toEqual(await streamRows(1));
    expect(new Set(rows.map((r) => r.txId)).size).toBe(chunks);
  });

  it('an explicit split and a retry write their rows the same way', async () => {
    await fixture.seedTargets('ex', 300);
    await pool.query(
      `update ${fixture.schema}.targets set attributes = '{"ring":"canary"}' where name like 'ex-%' and id % 4 = 0`,
    );
    await fixture.createExplicitRollout(2, 'name==ex-*', [
      { filter: 'attribute.ring==canary', percentage: 100 },
      { filter: null, percentage: 50 },
      { filter: null, percentage: 100 },
    ]);
    await drain(40);
    const explicit = await fixture.memberRows(2);
    expect(explicit.length).toBeGreaterThan(200);
    expect(new Set(explicit.map((r) => r.groupId)).size).toBe(3);
    expect(explicit).toEqual(await streamRows(2));

    await pool.query(
      `insert into ${fixture.schema}.rollout_failed_targets (rollout_id, target_id, action_id, failed_at)
       select 2, target_id, target_id, 1 from ${fixture.schema}.rollout_members where rollout_id = 2 and target_id % 3 = 0`,
    );
    await fixture.createRollout(3, retryTargetFilterQuery(2), 1);
    await drain(25);
    const retry = await fixture.memberRows(3);
    expect(retry.map((r) => r.targetId)).toEqual(explicit.filter((r) => r.targetId % 3 === 0).map((r) => r.targetId));
    expect(retry).toEqual(await streamRows(3));
  });
});
