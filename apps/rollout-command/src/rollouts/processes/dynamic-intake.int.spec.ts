import { Pool } from 'pg';
import type { RolloutGroupAddedV1, RolloutReadyV1 } from '@fleetwave/contracts';
import { testDatabaseUrl } from '@fleetwave/testing';
import { defaultIntakeLimits } from './dynamic-intake.step';
import { IntakeFixture } from './testing/intake.fixture';
import { RolloutCreationWorker } from './rollout-creation.worker';
import { membersByGroup } from './testing/creation.fixture';

/** xmin of a row and tx_id of an event name the same transaction modulo the xid epoch. */
const sameTx = (xmin: string, txId: string) => Number(xmin) === Number(BigInt(txId) % 2n ** 32n);

describe('dynamic rollout intake (Postgres)', () => {
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 6 });
  const fixture = new IntakeFixture(pool);

  beforeAll(() => fixture.migrate());

  /** One pass; what it did for this rollout (undefined: nothing, its intake ended before). */
  const passFor = async (worker: ReturnType<IntakeFixture['intakeWorker']>, rolloutId: number) =>
    (await worker.runPass()).find((o) => o.rolloutId === rolloutId);
  afterAll(async () => {
    await fixture.dispose();
    await pool.end();
  });

  it('takes targets created after start into the dynamic group, adds the next group when full, and continues the chunks', async () => {
    const existing = await fixture.addTargets('dyn', 6);
    const { dynamicGroup } = await fixture.createDynamicRollout(1, 'name==dyn-*', 2, {
      nameSuffix: 'wave',
      targetCount: 3,
    });
    const worker = fixture.intakeWorker();

    // Ready names the dynamic group too, empty; the static groups hold the six existing targets.
    const [, readyEvent] = await fixture.rolloutEvents(1);
    expect((readyEvent.data as RolloutReadyV1).groups).toEqual([
      { groupId: 101, totalTargets: 3 },
      { groupId: 102, totalTargets: 3 },
      { groupId: dynamicGroup.groupId, totalTargets: 0 },
    ]);

    // Not started yet: new targets wait.
    const fresh = await fixture.addTargets('dyn', 4, 7);
    expect(await passFor(worker, 1)).toEqual({ rolloutId: 1, outcome: 'waiting', taken: 0, more: false });

    await fixture.command(1, 'start');
    expect(await passFor(worker, 1)).toMatchObject({ outcome: 'took', taken: 3, more: true });
    expect(await passFor(worker, 1)).toMatchObject({ outcome: 'took', taken: 1 });

    const membership = await fixture.membership(1);
    const groups = membersByGroup(membership);
    expect(groups.get(101)?.map((m) => m.targetId)).toEqual(existing.slice(0, 3));
    expect(groups.get(102)?.map((m) => m.targetId)).toEqual(existing.slice(3));
    expect(groups.get(dynamicGroup.groupId)?.map((m) => m.targetId)).toEqual(fresh.slice(0, 3));
    // The chunk numbers (and stream revisions) continue after the creation's.
    expect(membership.map((e) => e.data.chunk)).toEqual(membership.map((_, i) => i));

    // The full group is followed by the next dynamic group, a copy with its own ids and name.
    const events = await fixture.rolloutEvents(1);
    expect(events.map((e) => e.type)).toEqual([
      'RolloutCreated.v1',
      'RolloutReady.v1',
      'RolloutStarted.v1',
      'RolloutGroupAdded.v1',
    ]);
    const added = events[3].data as RolloutGroupAddedV1;
    expect(added).toEqual({
      rolloutId: 1,
      group: { ...dynamicGroup, groupId: added.group.groupId, index: 4, name: 'wave-2' },
      addedAt: expect.any(Number),
    });
    expect(added.group.groupId).not.toBe(dynamicGroup.groupId);
    expect(groups.get(added.group.groupId)?.map((m) => m.targetId)).toEqual([fresh[3]]);
    // The group was added in the transaction that filled the previous one.
    const filling = membership.find((e) => e.data.groupId === dynamicGroup.groupId);
    expect(events[3].txId).toBe(filling?.txId);

    // Member rows agree with the stream, each written by the transaction of its chunk.
    const rows = await fixture.memberRows(1);
    const fromStream = membership.flatMap((e) =>
      e.data.members.map((m) => ({ groupId: e.data.groupId, targetId: m.targetId, txId: e.txId })),
    );
    expect(rows.map(({ groupId, targetId }) => ({ groupId, targetId }))).toEqual(
      fromStream.map(({ groupId, targetId }) => ({ groupId, targetId })).sort((a, b) => a.targetId - b.targetId),
    );
    const txOf = new Map(fromStream.map((m) => [m.targetId, m.txId]));
    for (const row of rows) expect(sameTx(row.txId, txOf.get(row.targetId) as string)).toBe(true);
  });

  it('takes none while paused, and what arrived meanwhile once resumed', async () => {
    await fixture.createDynamicRollout(2, 'name==pz-*', 0, { nameSuffix: '', targetCount: 100 });
    const worker = fixture.intakeWorker();
    await fixture.command(2, 'start');
    const early = await fixture.addTargets('pz', 2);
    expect(await passFor(worker, 2)).toMatchObject({ taken: 2 });

    await fixture.command(2, 'pause');
    const late = await fixture.addTargets('pz', 3, 3);
    expect(await passFor(worker, 2)).toEqual({ rolloutId: 2, outcome: 'waiting', taken: 0, more: false });
    expect((await fixture.memberRows(2)).map((r) => r.targetId)).toEqual(early);

    await fixture.command(2, 'resume');
    expect(await passFor(worker, 2)).toMatchObject({ taken: 3 });
    expect((await fixture.memberRows(2)).map((r) => r.targetId)).toEqual([...early, ...late]);
  });

  it('never takes a target that a newer rollout holds, nor one it holds already', async () => {
    await fixture.createDynamicRollout(3, 'name==nw-*', 0, { nameSuffix: 'd', targetCount: 50 });
    const worker = fixture.intakeWorker();
    const targets = await fixture.addTargets('nw', 6);
    // A newer static rollout takes the first four before the dynamic one starts.
    await fixture.createRollout(4, 'name==nw-1,name==nw-2,name==nw-3,name==nw-4', 1);
    const creation = new RolloutCreationWorker(pool, fixture.step(), fixture.progress);
    while (await creation.runOnce());
    expect((await fixture.memberRows(4)).map((r) => r.targetId)).toEqual(targets.slice(0, 4));

    await fixture.command(3, 'start');
    expect(await passFor(worker, 3)).toMatchObject({ taken: 2 });
    expect((await fixture.memberRows(3)).map((r) => r.targetId)).toEqual(targets.slice(4));
    // Another pass (a sweep over everything included) finds nothing new.
    expect(await passFor(fixture.intakeWorker(), 3)).toMatchObject({ taken: 0 });
    expect((await fixture.memberRows(3)).map((r) => r.targetId)).toEqual(targets.slice(4));
  });

  it('finds older targets that came to match on a sweep, and ends the intake when the rollout stops', async () => {
    // A target that existed before creation but did not match then.
    const [renamed] = await fixture.addTargets('other-sw', 1);
    const old = await fixture.addTargets('sw', 3);
    await fixture.createDynamicRollout(5, 'name==sw-*', 1, { nameSuffix: 'd', targetCount: 10 });
    await fixture.command(5, 'start');
    const worker = fixture.intakeWorker();
    expect(await passFor(worker, 5)).toMatchObject({ taken: 0 });
    await pool.query(`update ${fixture.schema}.targets set name = 'sw-renamed' where id = $1`, [renamed]);

    // The renamed target lies below the new-target cursor (it existed at creation): a pass that
    // is no sweep (the worker swept a moment ago) leaves it, the next sweep takes it.
    expect(await passFor(worker, 5)).toMatchObject({ taken: 0 });
    expect(await passFor(fixture.intakeWorker(), 5)).toMatchObject({ taken: 1 });
    expect((await fixture.memberRows(5)).map((r) => r.targetId)).toEqual([renamed, ...old]);

    await fixture.command(5, 'stop');
    expect(await passFor(worker, 5)).toMatchObject({ outcome: 'ended' });
    expect(await fixture.intakes.find(pool, 5)).toMatchObject({ ended: true });
    await fixture.addTargets('sw', 2, 100);
    expect(await passFor(worker, 5)).toBeUndefined();
    expect((await fixture.memberRows(5)).map((r) => r.targetId)).toEqual([renamed, ...old]);
  });

  it('takes a burst larger than the window in bounded steps, each one transaction, and stops adding groups at the quota', async () => {
    await fixture.createDynamicRollout(6, 'name==burst-*', 0, { nameSuffix: 'b', targetCount: 400 });
    const limits = { ...defaultIntakeLimits, newWindow: 300, maxMembers: 250 };
    // Three groups at most: the first dynamic one and two more.
    const worker = fixture.intakeWorker(3, limits);
    await fixture.command(6, 'start');
    const burst = await fixture.addTargets('burst', 1_500);

    let taken = 0;
    for (let pass = 0; pass < 20; pass++) {
      const outcomes = (await worker.runPass()).filter((o) => o.rolloutId === 6);
      taken += outcomes.reduce((sum, o) => sum + o.taken, 0);
      if (!outcomes.some((o) => o.more)) break;
    }
    // 3 groups × 400: the rest stays out, and the intake has ended.
    expect(taken).toBe(1_200);
    const rows = await fixture.memberRows(6);
    expect(rows.map((r) => r.targetId)).toEqual(burst.slice(0, 1_200));
    const perGroup = [...membersByGroup(await fixture.membership(6)).values()].map((m) => m.length);
    expect(perGroup).toEqual([400, 400, 400]);
    expect(await fixture.intakes.find(pool, 6)).toMatchObject({ ended: true, groupMembers: 400 });
    const added = (await fixture.rolloutEvents(6)).filter((e) => e.type === 'RolloutGroupAdded.v1');
    expect(added.map((e) => (e.data as RolloutGroupAddedV1).group.name)).toEqual(['b-2', 'b-3']);

    // No transaction took more than the window, nor an event more than the slice bound.
    const membership = await fixture.membership(6);
    const perTx = new Map<string, number>();
    for (const e of membership) perTx.set(e.txId, (perTx.get(e.txId) ?? 0) + e.data.members.length);
    expect(Math.max(...perTx.values())).toBeLessThanOrEqual(limits.newWindow);
    expect(Math.max(...membership.map((e) => e.data.members.length))).toBeLessThanOrEqual(limits.maxMembers);
  });
});
