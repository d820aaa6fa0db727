import { Pool } from 'pg';
import type { RolloutReadyV1 } from '@fleetwave/contracts';
import { testDatabaseUrl } from '@fleetwave/testing';
import { groupShare } from '../domain/explicit-group-split';
import { defaultChunkLimits } from './creation-chunk.step';
import { RolloutCreationWorker } from './rollout-creation.worker';
import { CreationFixture, membersByGroup } from './testing/creation.fixture';

/**
 * Explicit groups written in bounded chunks (Postgres): one pass over the rollout's targets per
 * chunk, every target in the group the in-order rule gives it, and a crash between chunks
 * resumed without a member lost or written twice.
 */
describe('explicit group creation in bounded chunks (Postgres)', () => {
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 6 });
  const fixture = new CreationFixture(pool);
  const limits = { ...defaultChunkLimits, targetsPerChunk: 700, maxMembers: 200 };

  beforeAll(() => fixture.migrate());
  afterAll(async () => {
    await fixture.dispose();
    await pool.end();
  });

  /** The rule applied group by group on the whole set in memory: the reference to compare with. */
  function fillInOrder(targets: { id: number; matches: boolean[] }[], percentages: number[]): number[][] {
    const taken = new Set<number>();
    return percentages.map((percentage, g) => {
      const remaining = targets.filter((t) => t.matches[g] && !taken.has(t.id));
      const members = remaining.slice(0, groupShare(percentage, remaining.length)).map((t) => t.id);
      members.forEach((id) => taken.add(id));
      return members;
    });
  }

  it('assigns 5,000+ targets to filtered and partial groups exactly as filling in order does, across a restart', async () => {
    await fixture.seedTargets('xg', 6_500);
    await pool.query(
      `update ${fixture.schema}.targets set attributes = jsonb_build_object('ring', case when id % 4 = 0 then 'canary' else 'main' end,
         'zone', case when id % 3 = 0 then 'north' else 'south' end)`,
    );
    const groups = [
      { filter: 'attribute.ring==canary', percentage: 100 },
      { filter: 'attribute.zone==north', percentage: 50 },
      { filter: null, percentage: 10 },
      { filter: 'attribute.zone==north', percentage: 100 },
      { filter: null, percentage: 100 },
    ];
    const { totalTargets, cuts } = await fixture.createExplicitRollout(1, 'name==xg-*', groups);

    // The reference: the rollout's targets in id order with their per-group matches.
    const { rows } = await pool.query<{ id: string; ring: string; zone: string }>(
      `select id, attributes->>'ring' as ring, attributes->>'zone' as zone from ${fixture.schema}.targets
       where name like 'xg-%' and created_at < now() order by id`,
    );
    const targets = rows.map((r) => ({
      id: Number(r.id),
      matches: [r.ring === 'canary', r.zone === 'north', true, r.zone === 'north', true],
    }));
    expect(targets).toHaveLength(totalTargets);
    const expected = fillInOrder(
      targets,
      groups.map((g) => g.percentage),
    );
    expect(cuts.map((c) => c.size)).toEqual(expected.map((m) => m.length));

    // A first process works two chunks, then a new one (as after a crash) finishes.
    const first = new RolloutCreationWorker(pool, fixture.step(limits), fixture.progress);
    expect(await first.runOnce()).toMatchObject({ chunk: 1, ready: false });
    expect(await first.runOnce()).toMatchObject({ chunk: 2, ready: false });
    const second = new RolloutCreationWorker(pool, fixture.step(limits), fixture.progress);
    let chunks = 2;
    while (await second.runOnce()) chunks++;
    expect(chunks).toBe(Math.ceil(totalTargets / limits.targetsPerChunk));

    const events = await fixture.membership(1);
    const members = membersByGroup(events);
    expect([...members.keys()].sort()).toEqual([101, 102, 103, 104, 105]);
    expect([101, 102, 103, 104, 105].map((g) => members.get(g)!.map((m) => m.targetId))).toEqual(expected);
    for (const event of events) expect(event.data.members.length).toBeLessThanOrEqual(limits.maxMembers);
    // No transaction assigned more targets than one chunk reads.
    const perTransaction = new Map<string, number>();
    for (const e of events) perTransaction.set(e.txId, (perTransaction.get(e.txId) ?? 0) + e.data.members.length);
    expect(Math.max(...perTransaction.values())).toBeLessThanOrEqual(limits.targetsPerChunk);

    const rollout = await fixture.rolloutEvents(1);
    expect(rollout.map((e) => e.type)).toEqual(['RolloutCreated.v1', 'RolloutReady.v1']);
    const ready = rollout[1].data as RolloutReadyV1;
    expect(ready.totalTargets).toBe(totalTargets);
    expect(ready.groups.map((g) => g.totalTargets)).toEqual(expected.map((m) => m.length));
  });
});
