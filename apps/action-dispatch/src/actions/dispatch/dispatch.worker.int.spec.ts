import type { EventStore } from '@fleetwave/event-store';
import { eventually } from '@fleetwave/testing';
import type { DispatchDeps } from '../action-streams';
import { GroupEventsConsumer } from '../consumers/group-events.consumer';
import { RolloutEventsConsumer } from '../consumers/rollout-events.consumer';
import { DispatchFixture, groupStarted, rolloutOf, rolloutStarted } from '../testing/dispatch.fixture';
import type { DispatchOutcome } from './dispatch-chunk.step';

const small = { create: 2_000, activate: 2_000 };

describe('dispatch worker: creation and activation in short chunks (real Postgres)', () => {
  const fx = new DispatchFixture();
  const rollouts = new RolloutEventsConsumer(fx.deps);
  const groups = new GroupEventsConsumer(fx.deps);
  beforeAll(() => fx.setUp());
  afterAll(() => fx.dispose());

  /** A rollout defined with its members (not started): `sizes` targets per group. */
  async function defined(sizes: number[]) {
    const rollout = rolloutOf(sizes);
    await fx.run(
      rollouts.handleBatch,
      [rollout.created, ...rollout.members].map((e) => fx.item(e)),
    );
    return rollout;
  }

  const start = (rolloutId: number) => fx.run(rollouts.handleBatch, [fx.item(rolloutStarted(rolloutId))]);
  const startGroup = (rolloutId: number, groupId: number) =>
    fx.run(groups.handleBatch, [fx.item(groupStarted(rolloutId, groupId))]);

  /** Per group: actions, running ones, instructions and the sum of its ActionsScheduled counts. */
  async function tally(rolloutId: number) {
    const { rows } = await fx.pool.query<{
      group_id: string;
      actions: number;
      distinct_targets: number;
      running: number;
      instructions: number;
      instructed_actions: number;
    }>(
      `select a.group_id, count(*)::int as actions, count(distinct a.target_id)::int as distinct_targets,
              count(*) filter (where a.status = 'running')::int as running,
              coalesce(sum(i.n), 0)::int as instructions, count(i.n)::int as instructed_actions
         from ${fx.schema}.actions a
         left join (select stream_name, count(*) as n from "${fx.schema}".events
                     where type = 'DeviceMessageRequested.v1' group by stream_name) i
           on i.stream_name = 'action-' || a.id
        where a.rollout_id = $1 group by a.group_id`,
      [rolloutId],
    );
    const scheduled = await fx.pool.query<{ group_id: string; count: number }>(
      `select data->>'groupId' as group_id, sum((data->>'count')::int)::int as count from "${fx.schema}".events
        where category = 'actions' and type = 'ActionsScheduled.v1' and (data->>'rolloutId')::bigint = $1 group by 1`,
      [rolloutId],
    );
    const counts = new Map(scheduled.rows.map((r) => [Number(r.group_id), r.count]));
    return new Map(rows.map((r) => [Number(r.group_id), { ...r, scheduled: counts.get(Number(r.group_id)) }]));
  }

  /** What a group should show: `size` actions, each counted once, all running and instructed once or none. */
  const expected = (size: number, active: boolean) => ({
    actions: size,
    distinct_targets: size,
    scheduled: size,
    running: active ? size : 0,
    instructions: active ? size : 0,
    instructed_actions: active ? size : 0,
  });

  it('starts 30,000 targets in 3 groups: every action once, group 1 activated first and instructed once each', async () => {
    const rollout = await defined([10_000, 10_000, 10_000]);
    const [g1, g2, g3] = rollout.groups;
    await start(rollout.rolloutId);
    await startGroup(rollout.rolloutId, g1);

    const outcomes = await fx.dispatch(small);

    const byGroup = await tally(rollout.rolloutId);
    expect(byGroup.get(g1)).toMatchObject(expected(10_000, true));
    expect(byGroup.get(g2)).toMatchObject(expected(10_000, false));
    expect(byGroup.get(g3)).toMatchObject(expected(10_000, false));
    // Group 1 is activated chunk by chunk behind its creation, before group 2's creation begins.
    const at = (groupId: number, kind: string) => outcomes.findIndex((o) => o.groupId === groupId && o.kind === kind);
    expect(at(g1, 'activate')).toBe(1);
    const lastG1Activation = outcomes.map((o) => o.groupId === g1 && o.kind === 'activate').lastIndexOf(true);
    expect(lastG1Activation).toBeLessThan(at(g2, 'create'));
    expect(at(g2, 'create')).toBeLessThan(at(g3, 'create'));
    expect(Math.max(...outcomes.map((o) => o.count))).toBeLessThanOrEqual(2_000);
  });

  it('resumes after a stop between chunks and after a chunk that fails half-way: no duplicate, no gap', async () => {
    const rollout = await defined([7_000, 5_000]);
    await start(rollout.rolloutId);
    await startGroup(rollout.rolloutId, rollout.groups[0]);
    // The first worker stops after three chunks, as a process that dies between two commits.
    expect(await fx.dispatch(small, 3)).toHaveLength(3);

    // The next one crashes inside a chunk, after its events were appended, before its commit.
    let crashes = 1;
    const crashing = Object.create(fx.store) as EventStore;
    crashing.appendToStreams = async (...args: Parameters<EventStore['appendToStreams']>) => {
      const appended = await fx.store.appendToStreams(...args);
      if (crashes-- > 0) throw new Error('process died mid-chunk');
      return appended;
    };
    const deps: DispatchDeps = { ...fx.deps, store: crashing };
    await expect(fx.dispatch(small, Infinity, deps)).rejects.toThrow('process died mid-chunk');
    // A fresh worker resumes from the cursors the last committed chunks left.
    const worker = fx.worker(small, { pollMs: 50 });
    worker.start();
    try {
      await eventually(
        async () => {
          const byGroup = await tally(rollout.rolloutId);
          expect(byGroup.get(rollout.groups[0])).toMatchObject(expected(7_000, true));
          expect(byGroup.get(rollout.groups[1])).toMatchObject(expected(5_000, false));
          expect(await pending(rollout.rolloutId)).toBe(0);
        },
        { description: 'the rollout dispatched to the end by the next worker', timeoutMs: 30_000 },
      );
    } finally {
      await worker.stop();
    }
  });

  it('lets two workers share the queue without ever working the same chunk twice', async () => {
    const rollout = await defined([6_000, 6_000, 6_000]);
    const seen: DispatchOutcome[][] = [[], []];
    const workers = seen.map((log) => fx.worker(small, { pollMs: 50, onChunk: (o) => log.push(o) }));
    workers.forEach((w) => w.start());
    try {
      await start(rollout.rolloutId);
      await startGroup(rollout.rolloutId, rollout.groups[0]);
      await startGroup(rollout.rolloutId, rollout.groups[2]);
      await eventually(
        async () => {
          const byGroup = await tally(rollout.rolloutId);
          expect(byGroup.get(rollout.groups[0])).toMatchObject(expected(6_000, true));
          expect(byGroup.get(rollout.groups[1])).toMatchObject(expected(6_000, false));
          expect(byGroup.get(rollout.groups[2])).toMatchObject(expected(6_000, true));
          expect(await pending(rollout.rolloutId)).toBe(0);
        },
        { description: 'three groups created, two activated', timeoutMs: 30_000 },
      );
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
    // Every action was created by exactly one chunk and activated by exactly one chunk.
    const total = (kind: string) =>
      seen.flat().reduce((sum, o) => sum + (o.rolloutId === rollout.rolloutId && o.kind === kind ? o.count : 0), 0);
    expect(total('create')).toBe(18_000);
    expect(total('activate')).toBe(12_000);
  });

  it('activates a group started while its actions are still being created, following its creation', async () => {
    const rollout = await defined([3_000, 6_000]);
    const [g1, g2] = rollout.groups;
    await start(rollout.rolloutId);
    // Group 1 created in full, group 2 in part (its first chunk of 2,000).
    const early = await fx.dispatch(small, 3);
    expect(early.map((o) => [o.groupId, o.kind, o.count])).toEqual([
      [g1, 'create', 2_000],
      [g1, 'create', 1_000],
      [g2, 'create', 2_000],
    ]);
    await startGroup(rollout.rolloutId, g2);
    await fx.dispatch(small);

    const byGroup = await tally(rollout.rolloutId);
    expect(byGroup.get(g1)).toMatchObject(expected(3_000, false));
    expect(byGroup.get(g2)).toMatchObject(expected(6_000, true));
    expect(await pending(rollout.rolloutId)).toBe(0);
  });

  it('shows a piece of work failing for longer than the bound on readiness, and recovers', async () => {
    const rollout = await defined([10]);
    let failing = true;
    const broken = Object.create(fx.store) as EventStore;
    broken.appendToStreams = async (...args: Parameters<EventStore['appendToStreams']>) => {
      if (failing) throw new Error('event store unavailable');
      return fx.store.appendToStreams(...args);
    };
    const worker = fx.worker(
      small,
      { pollMs: 50, retryDelayMs: 20, maxRetryMs: 50, stuckAfterMs: 200 },
      {
        ...fx.deps,
        store: broken,
      },
    );
    worker.start();
    try {
      await start(rollout.rolloutId);
      await startGroup(rollout.rolloutId, rollout.groups[0]);
      const check = worker.readinessCheck();
      await eventually(async () => expect(await check.check()).toBe(false), { description: 'readiness DOWN' });
      expect(check.details?.()).toMatchObject({
        failing: [{ work: `group ${rollout.groups[0]} create`, error: 'event store unavailable' }],
      });
      failing = false;
      await eventually(async () => expect(await check.check()).toBe(true), { description: 'readiness UP again' });
      await eventually(
        async () => expect((await tally(rollout.rolloutId)).get(rollout.groups[0])).toMatchObject(expected(10, true)),
        { description: 'the group created and activated after recovery' },
      );
    } finally {
      await worker.stop();
    }
  });

  /** Pieces of the rollout's dispatch work not done yet. */
  async function pending(rolloutId: number): Promise<number> {
    const { rows } = await fx.pool.query<{ n: number }>(
      `select count(*)::int as n from ${fx.schema}.dispatch_work where rollout_id = $1 and not done`,
      [rolloutId],
    );
    return rows[0].n;
  }
});
