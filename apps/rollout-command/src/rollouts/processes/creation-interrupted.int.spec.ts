import { Pool } from 'pg';
import { eventually, testDatabaseUrl } from '@fleetwave/testing';
import { DeleteRolloutHandler, DeleteRolloutCommand } from '../commands/delete-rollout/delete-rollout.handler';
import { StopRolloutCommand, StopRolloutHandler } from '../commands/stop-rollout/stop-rollout.handler';
import { RolloutNamesStore } from '../rollout-names.store';
import { StartedGroupsStore } from '../started-groups.store';
import { defaultChunkLimits } from './creation-chunk.step';
import { RolloutCreationWorker } from './rollout-creation.worker';
import { CreationFixture } from './testing/creation.fixture';

/**
 * A rollout stopped or deleted while its membership is still being written: the creation ends
 * cleanly (no chunk after the command, no failure recorded, nothing left pending), also when a
 * chunk is in flight as the command arrives.
 */
describe('rollout creation interrupted by stop or delete (Postgres)', () => {
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 6 });
  const fixture = new CreationFixture(pool);
  const limits = { ...defaultChunkLimits, targetsPerChunk: 300 };
  const worker = () => new RolloutCreationWorker(pool, fixture.step(limits), fixture.progress);
  const stop = new StopRolloutHandler(pool, fixture.rollouts, fixture.progress);
  const remove = new DeleteRolloutHandler(
    pool,
    fixture.rollouts,
    fixture.progress,
    new StartedGroupsStore(fixture.schema),
    new RolloutNamesStore(fixture.schema),
  );
  const types = async (id: number) => (await fixture.rolloutEvents(id)).map((e) => e.type);
  const failure = async (id: number) =>
    (
      await pool.query<{ last_error: string | null }>(
        `select last_error from ${fixture.schema}.rollout_creation_progress where rollout_id = $1`,
        [id],
      )
    ).rows[0].last_error;

  beforeAll(async () => {
    await fixture.migrate();
    await fixture.seedTargets('cut', 1_500);
  });
  afterAll(async () => {
    await fixture.dispose();
    await pool.end();
  });

  it('ends the creation of a rollout stopped mid-creation: no more chunks, no error', async () => {
    await fixture.createRollout(1, 'name==cut-*', 2);
    const creation = worker();
    expect(await creation.runOnce()).toMatchObject({ rolloutId: 1, chunk: 1, ready: false });
    const written = (await fixture.membership(1)).length;

    await stop.execute(new StopRolloutCommand(1, 'op', 5));

    expect(await creation.runOnce()).toBeUndefined();
    expect(await types(1)).toEqual(['RolloutCreated.v1', 'RolloutStopped.v1']);
    expect(await fixture.membership(1)).toHaveLength(written);
    expect(await fixture.progress.find(pool, 1)).toMatchObject({ done: true, chunks: 1, assigned: 300 });
    expect(await failure(1)).toBeNull();
  });

  it('ends the creation of a rollout deleted mid-creation, which is then gone', async () => {
    await fixture.createRollout(2, 'name==cut-*', 3);
    const creation = worker();
    await creation.runOnce();

    await remove.execute(new DeleteRolloutCommand(2, 'op', 5));

    expect(await creation.runOnce()).toBeUndefined();
    expect(await types(2)).toEqual(['RolloutCreated.v1', 'RolloutRemoved.v1']);
    expect(await fixture.progress.find(pool, 2)).toMatchObject({ done: true, chunks: 1 });
    expect(await failure(2)).toBeNull();
    await expect(stop.execute(new StopRolloutCommand(2, 'op', 6))).rejects.toMatchObject({
      code: 'ROLLOUT.NOT_FOUND',
    });
  });

  it('waits for the chunk in flight: a stop during the last chunk stops the rollout that chunk made ready', async () => {
    const { totalTargets } = await fixture.createRollout(3, 'name==cut-*', 2);
    const creation = worker();
    while ((await fixture.progress.find(pool, 3))!.assigned + limits.targetsPerChunk < totalTargets) {
      await creation.runOnce();
    }
    const client = await pool.connect();
    try {
      await client.query('begin');
      expect(await fixture.step(limits).run(client)).toMatchObject({ rolloutId: 3, ready: true });
      const stopping = stop.execute(new StopRolloutCommand(3, 'op', 5));
      // The stop waits on the creation's row while the chunk holds it.
      await eventually(
        async () => {
          const { rows } = await pool.query<{ n: number }>(
            `select count(*)::int as n from pg_stat_activity
             where wait_event_type = 'Lock' and query like $1`,
            [`%${fixture.schema}.rollout_creation_progress%for update%`],
          );
          expect(rows[0].n).toBe(1);
        },
        { timeoutMs: 10_000, description: 'stop waits for the chunk' },
      );
      await client.query('commit');
      await stopping;
    } finally {
      client.release();
    }
    expect(await types(3)).toEqual(['RolloutCreated.v1', 'RolloutReady.v1', 'RolloutStopped.v1']);
    expect(await creation.runOnce()).toBeUndefined();
    expect(await failure(3)).toBeNull();
  });

  it('ends a creation whose rollout another writer removed, without an error', async () => {
    await fixture.createRollout(4, 'name==cut-*', 2);
    const creation = worker();
    await creation.runOnce();
    // Written past the creation's lock: the next chunk finds the rollout gone.
    await fixture.rollouts.handle(
      4,
      { type: 'DeleteRollout', data: { rolloutId: 4, requestedAt: 5, requestedBy: 'op' } },
      { actor: 'test' },
    );

    expect(await creation.runOnce()).toMatchObject({ rolloutId: 4, abandoned: true, events: 0 });
    expect(await creation.runOnce()).toBeUndefined();
    expect(await fixture.progress.find(pool, 4)).toMatchObject({ done: true, chunks: 1 });
    expect(await failure(4)).toBeNull();
  });
});
