import { Pool } from 'pg';
import { testDatabaseUrl } from '@fleetwave/testing';
import { defaultChunkLimits } from '../../processes/creation-chunk.step';
import { RolloutCreationWorker } from '../../processes/rollout-creation.worker';
import { CreationFixture, membersByGroup } from '../../processes/testing/creation.fixture';
import { retryTargetFilterQuery } from './failed-targets.filter';

/**
 * A retry's target set (`failedrollout==<id>`) through the creation worker as any rollout's:
 * counted at creation, then streamed by keyset on the target id in bounded chunks, targets
 * created after the cutoff left out.
 */
describe('creation of a retry over the failed targets in chunks (Postgres)', () => {
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 4 });
  const fixture = new CreationFixture(pool);

  beforeAll(() => fixture.migrate());
  afterAll(async () => {
    await fixture.dispose();
    await pool.end();
  });

  it('takes exactly the failed targets of the retried rollout, in id order, 25 per chunk', async () => {
    await fixture.seedTargets('ft', 400);
    // Every third target failed in rollout 77, every fifth in rollout 76 (which must not leak in).
    const { rows } = await pool.query<{ id: string; late: boolean }>(
      `select id, created_at > now() as late from ${fixture.schema}.targets order by id`,
    );
    const failed = rows.filter((_, i) => i % 3 === 0);
    const other = rows.filter((_, i) => i % 5 === 0);
    for (const [rolloutId, targets] of [
      [77, failed],
      [76, other],
    ] as const) {
      await pool.query(
        `insert into ${fixture.schema}.rollout_failed_targets (rollout_id, target_id, action_id, failed_at)
         select $1, t, t, 1 from unnest($2::bigint[]) t`,
        [rolloutId, targets.map((t) => t.id)],
      );
    }
    const expected = failed.filter((t) => !t.late).map((t) => Number(t.id));
    expect(expected.length).toBeGreaterThan(100);

    const { totalTargets } = await fixture.createRollout(78, retryTargetFilterQuery(77), 1);
    expect(totalTargets).toBe(expected.length);
    const worker = new RolloutCreationWorker(
      pool,
      fixture.step({ ...defaultChunkLimits, targetsPerChunk: 25 }),
      fixture.progress,
    );
    let chunks = 0;
    while (await worker.runOnce()) chunks++;

    expect(chunks).toBe(Math.ceil(expected.length / 25));
    expect(await fixture.progress.find(pool, 78)).toMatchObject({ done: true, assigned: expected.length });
    const members = [...membersByGroup(await fixture.membership(78)).values()];
    expect(members).toHaveLength(1);
    expect(members[0].map((m) => m.targetId)).toEqual(expected);
    const events = await fixture.rolloutEvents(78);
    expect(events.map((e) => e.type)).toEqual(['RolloutCreated.v1', 'RolloutReady.v1']);
  });
});
