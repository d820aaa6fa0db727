import { Pool } from 'pg';
import type { RolloutReadyV1 } from '@fleetwave/contracts';
import { withTransaction } from '@fleetwave/platform';
import { eventually, testDatabaseUrl } from '@fleetwave/testing';
import { autoSplitGroupSizes } from '../domain/group-split';
import { defaultChunkLimits } from './creation-chunk.step';
import { RolloutCreationWorker } from './rollout-creation.worker';
import { CreationFixture, membersByGroup } from './testing/creation.fixture';

const chunkBound = defaultChunkLimits.targetsPerChunk;

describe('rollout creation in bounded chunks (Postgres)', () => {
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 6 });
  const fixture = new CreationFixture(pool);

  beforeAll(() => fixture.migrate());
  afterAll(async () => {
    await fixture.dispose();
    await pool.end();
  });

  /** Works chunks until nothing is pending; returns how many ran. */
  async function drain(worker: RolloutCreationWorker): Promise<number> {
    let chunks = 0;
    while (await worker.runOnce()) chunks++;
    return chunks;
  }

  const workerFor = (step = fixture.step()) => new RolloutCreationWorker(pool, step, fixture.progress);

  it('assigns 20,000+ targets to 5 groups of the auto-split sizes, each member once, in chunks of at most the bound', async () => {
    const inSet = await fixture.seedTargets('big', 28_031);
    const { totalTargets } = await fixture.createRollout(1, 'name==big-*', 5);
    expect(totalTargets).toBe(inSet.length);
    expect(totalTargets).toBeGreaterThan(20_000);

    const chunks = await drain(workerFor());

    expect(chunks).toBe(Math.ceil(totalTargets / chunkBound));
    const progress = await fixture.progress.find(pool, 1);
    expect(progress).toMatchObject({ done: true, chunks, assigned: totalTargets });

    const events = await fixture.membership(1);
    const sizes = autoSplitGroupSizes(totalTargets, 5);
    const groups = membersByGroup(events);
    expect([...groups.keys()]).toEqual([101, 102, 103, 104, 105]);
    expect([...groups.values()].map((m) => m.length)).toEqual(sizes);
    // Every target of the set exactly once, dealt in id order: group 1 holds the lowest ids.
    const assigned = [...groups.values()].flat().map((m) => m.targetId);
    expect(assigned).toEqual([...inSet].sort((a, b) => a - b));
    expect(new Set(assigned).size).toBe(totalTargets);

    // Events stay small, and the revision doubles as the chunk number.
    for (const [i, event] of events.entries()) {
      expect(event.data.members.length).toBeLessThanOrEqual(defaultChunkLimits.maxMembers);
      expect(event.bytes).toBeLessThan(32 * 1024);
      expect(event.data.chunk).toBe(i);
      expect(event.revision).toBe(i);
    }
    // One transaction per chunk, none holding more targets than the bound.
    const perTransaction = new Map<string, number>();
    for (const e of events) perTransaction.set(e.txId, (perTransaction.get(e.txId) ?? 0) + e.data.members.length);
    expect(perTransaction.size).toBe(chunks);
    expect(Math.max(...perTransaction.values())).toBeLessThanOrEqual(chunkBound);

    // Ready commits with the last chunk and carries the per-group totals.
    const rollout = await fixture.rolloutEvents(1);
    expect(rollout.map((e) => e.type)).toEqual(['RolloutCreated.v1', 'RolloutReady.v1']);
    const ready = rollout[1].data as RolloutReadyV1;
    expect(ready.totalTargets).toBe(totalTargets);
    expect(ready.groups.map((g) => g.totalTargets)).toEqual(sizes);
    expect(rollout[1].txId).toBe(events[events.length - 1].txId);
  });

  it('resumes after a crash mid-creation without duplicating or skipping a member', async () => {
    const limits = { ...defaultChunkLimits, targetsPerChunk: 700, maxMembers: 250 };
    const inSet = await fixture.seedTargets('crash', 6_000);
    const { totalTargets } = await fixture.createRollout(2, 'name==crash-*', 3);

    // The first process commits two chunks ...
    const first = workerFor(fixture.step(limits));
    expect(await first.runOnce()).toMatchObject({ chunk: 1, ready: false });
    expect(await first.runOnce()).toMatchObject({ chunk: 2, ready: false });
    // ... and dies inside the third, after writing its events but before the commit.
    const client = await pool.connect();
    try {
      await client.query('begin');
      expect(await fixture.step(limits).run(client)).toMatchObject({ chunk: 3 });
      // While it holds the creation, another instance finds nothing to claim.
      expect(await workerFor(fixture.step(limits)).runOnce()).toBeUndefined();
      await client.query('rollback');
    } finally {
      client.release();
    }
    expect(await fixture.progress.find(pool, 2)).toMatchObject({ chunks: 2, assigned: 2 * 700 });

    // A restarted process (new objects, nothing in memory) carries on from the stored cursor.
    const remaining = await drain(workerFor(fixture.step(limits)));
    expect(remaining).toBe(Math.ceil(totalTargets / 700) - 2);

    const events = await fixture.membership(2);
    const groups = membersByGroup(events);
    expect([...groups.values()].map((m) => m.length)).toEqual(autoSplitGroupSizes(totalTargets, 3));
    const assigned = [...groups.values()].flat().map((m) => m.targetId);
    expect(assigned).toEqual([...inSet].sort((a, b) => a - b));
    expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
    expect(Math.max(...events.map((e) => e.data.members.length))).toBeLessThanOrEqual(250);
    const perTransaction = new Map<string, number>();
    for (const e of events) perTransaction.set(e.txId, (perTransaction.get(e.txId) ?? 0) + e.data.members.length);
    expect(Math.max(...perTransaction.values())).toBeLessThanOrEqual(700);
  });

  it('bounds the ids a chunk looks at, so a filter matching few targets is read in short, possibly empty, pages', async () => {
    const seeded = await fixture.seedTargets('sparse', 3_000);
    // One target in a hundred of the seeded set (by name), scattered through the table.
    const wanted = seeded.filter((_, i) => i % 100 === 0);
    const names = await pool.query<{ name: string }>(
      `select name from ${fixture.schema}.targets where id = any($1::bigint[]) order by id`,
      [wanted],
    );
    const filter = `name=in=(${names.rows.map((r) => r.name).join(',')})`;
    const { totalTargets } = await fixture.createRollout(9, filter, 3);
    expect(totalTargets).toBe(wanted.length);

    // No time for a second window: each window of 500 ids is a chunk of its own.
    const chunks = await drain(workerFor(fixture.step(defaultChunkLimits, { span: 500, budgetMs: 0 })));

    // The table holds more than 20 windows of 500 ids, most without a match.
    const { rows } = await pool.query<{ n: string }>(`select count(*) as n from ${fixture.schema}.targets`);
    expect(chunks).toBeGreaterThanOrEqual(Math.floor(Number(rows[0].n) / 500));
    const assigned = [...membersByGroup(await fixture.membership(9)).values()].flat().map((m) => m.targetId);
    expect(assigned).toEqual([...wanted].sort((a, b) => a - b));
    const ready = (await fixture.rolloutEvents(9))[1].data as RolloutReadyV1;
    expect(ready.groups.map((g) => g.totalTargets)).toEqual(autoSplitGroupSizes(wanted.length, 3));
  });

  it('reads further windows within one chunk while it has time, with the same members', async () => {
    await fixture.seedTargets('sparse-b', 2_000);
    const { rows: few } = await pool.query<{ id: string; name: string }>(
      `select id, name from ${fixture.schema}.targets where name like 'sparse-b-%' and created_at < now() order by id`,
    );
    const wanted = few.filter((_, i) => i % 50 === 0);
    await fixture.createRollout(10, `name=in=(${wanted.map((r) => r.name).join(',')})`, 2);

    const chunks = await drain(workerFor(fixture.step(defaultChunkLimits, { span: 500, budgetMs: 60_000 })));

    // Every window in one chunk: the budget was never spent.
    expect(chunks).toBe(1);
    const assigned = [...membersByGroup(await fixture.membership(10)).values()].flat().map((m) => m.targetId);
    expect(assigned).toEqual(wanted.map((r) => Number(r.id)));
  });

  it('ends with the targets that remain when some disappear during creation', async () => {
    const limits = { ...defaultChunkLimits, targetsPerChunk: 300 };
    const inSet = await fixture.seedTargets('shrink', 1_000);
    const { totalTargets } = await fixture.createRollout(3, 'name==shrink-*', 2);
    const worker = workerFor(fixture.step(limits));
    await worker.runOnce();
    const sorted = [...inSet].sort((a, b) => a - b);
    const removed = sorted.slice(-50);
    await pool.query(`delete from ${fixture.schema}.targets where id = any($1::bigint[])`, [removed]);

    await drain(worker);

    const ready = (await fixture.rolloutEvents(3))[1].data as RolloutReadyV1;
    expect(ready.totalTargets).toBe(totalTargets - 50);
    const sizes = autoSplitGroupSizes(totalTargets, 2);
    expect(ready.groups.map((g) => g.totalTargets)).toEqual([sizes[0], sizes[1] - 50]);
    const assigned = [...membersByGroup(await fixture.membership(3)).values()].flat().map((m) => m.targetId);
    expect(assigned).toEqual(sorted.slice(0, -50));
  });

  it('works creations in the background loop, interleaving two of them, and wakes on demand', async () => {
    await fixture.seedTargets('loop-a', 3_000);
    await fixture.seedTargets('loop-b', 2_000);
    await fixture.seedTargets('loop-c', 500);
    await fixture.createRollout(4, 'name==loop-a-*', 4);
    await fixture.createRollout(5, 'name==loop-b-*', 2);
    // Polling so rarely that only the wake-up can explain the third creation finishing in time.
    const limits = { ...defaultChunkLimits, targetsPerChunk: 500 };
    const worker = new RolloutCreationWorker(pool, fixture.step(limits), fixture.progress, { pollMs: 600_000 });
    const readyBound = { timeoutMs: 30_000, description: 'creations ready' };
    const allDone = (ids: number[]) => async () => {
      for (const id of ids) expect(await fixture.progress.find(pool, id)).toMatchObject({ done: true });
    };
    worker.start();
    try {
      await eventually(allDone([4, 5]), readyBound);
      await fixture.createRollout(7, 'name==loop-c-*', 1);
      worker.wake();
      await eventually(allDone([7]), readyBound);
    } finally {
      await worker.stop();
    }
    // Chunks of the two alternated instead of one waiting for the other to finish.
    const { rows } = await pool.query<{ stream_name: string }>(
      `select stream_name from ${fixture.schema}.events
       where stream_name in ('rollout-4-membership', 'rollout-5-membership') order by position`,
    );
    const switches = rows.filter((r, i) => i > 0 && r.stream_name !== rows[i - 1].stream_name).length;
    expect(switches).toBeGreaterThan(1);
    for (const id of [4, 5, 7]) {
      expect((await fixture.rolloutEvents(id)).map((e) => e.type)).toEqual(['RolloutCreated.v1', 'RolloutReady.v1']);
    }
  });

  it('refuses to write a chunk twice: the membership revision is part of the cursor', async () => {
    await fixture.seedTargets('twice', 500);
    await fixture.createRollout(6, 'name==twice-*', 1);
    const stale = await fixture.progress.find(pool, 6);
    const limits = { ...defaultChunkLimits, targetsPerChunk: 100 };
    await workerFor(fixture.step(limits)).runOnce();
    // Replaying the first chunk from a stale cursor conflicts on the stream revision.
    await expect(
      withTransaction(pool, async (tx) => {
        await tx.query(
          `update ${fixture.schema}.rollout_creation_progress
             set membership_events = $2, chunks = 0, assigned = 0, last_target_id = 0, group_index = 0,
                 taken_in_group = 0, done = false
           where rollout_id = $1`,
          [6, stale!.membershipEvents],
        );
        return fixture.step(limits).run(tx);
      }),
    ).rejects.toThrow(/expected revision/);
    expect(await fixture.membership(6)).toHaveLength((await fixture.progress.find(pool, 6))!.membershipEvents);

    // The real cursor is untouched, so the creation still completes with every member once.
    await drain(workerFor(fixture.step(limits)));
    const assigned = [...membersByGroup(await fixture.membership(6)).values()].flat().map((m) => m.targetId);
    expect(new Set(assigned).size).toBe(assigned.length);
    expect(assigned).toHaveLength(stale!.totalTargets);
  });

  it('ends a creation without writing more once its rollout has left creating by other means', async () => {
    await fixture.seedTargets('left', 2_000);
    await fixture.createRollout(8, 'name==left-*', 2);
    const worker = workerFor(fixture.step({ ...defaultChunkLimits, targetsPerChunk: 400 }));
    await worker.runOnce();
    const written = (await fixture.membership(8)).length;
    // Another writer moves the rollout on (a later state such as stopped would do the same).
    await fixture.rollouts.handle(
      8,
      { type: 'MarkRolloutReady', data: { rolloutId: 8, totalTargets: 0, groups: [] }, at: Date.now() },
      {},
    );

    expect(await worker.runOnce()).toMatchObject({ rolloutId: 8, abandoned: true, events: 0 });
    expect(await worker.runOnce()).toBeUndefined();
    expect(await fixture.membership(8)).toHaveLength(written);
    expect(await fixture.progress.find(pool, 8)).toMatchObject({ done: true, chunks: 1, assigned: 400 });
  });
});
