import type { EventStore } from '@fleetwave/event-store';
import type { BatchResult } from '@fleetwave/messaging';
import { withTransaction } from '@fleetwave/platform';
import type { DispatchDeps } from './action-streams';
import { DeviceStatusConsumer } from './consumers/device-status.consumer';
import { DispatchFixture, NOW, rolloutDeleting, rolloutStopping } from './testing/dispatch.fixture';
import { EndingProbe } from './testing/ending.fixture';

describe('settlement under crashes and concurrent last answers (real Postgres)', () => {
  const fx = new DispatchFixture();
  const { lifecycle, report, statuses, settlements, underway } = new EndingProbe(fx);
  const devices = new DeviceStatusConsumer(fx.deps);
  beforeAll(() => fx.setUp());
  afterAll(() => fx.dispose());

  it('cancels in short chunks and survives a crash mid-chunk: one CANCEL_DOWNLOAD per action, one settlement', async () => {
    const rollout = await underway([2_500]);
    await lifecycle(rolloutDeleting(rollout.rolloutId));
    const sizes = { create: 1_000, activate: 1_000, cancel: 1_000 };
    expect((await fx.dispatch(sizes, 1)).map((o) => o.count)).toEqual([1_000]);

    // The process dies inside the next chunk, after its append, before its commit.
    let crashes = 1;
    const crashing = Object.create(fx.store) as EventStore;
    crashing.appendToStreams = async (...args: Parameters<EventStore['appendToStreams']>) => {
      const appended = await fx.store.appendToStreams(...args);
      if (crashes-- > 0) throw new Error('process died mid-chunk');
      return appended;
    };
    const deps: DispatchDeps = { ...fx.deps, store: crashing };
    await expect(fx.dispatch(sizes, Infinity, deps)).rejects.toThrow('process died mid-chunk');
    const rest = await fx.dispatch(sizes);
    expect(rest.map((o) => o.count)).toEqual([1_000, 500, 0]);

    const { rows } = await fx.pool.query<{ status: string; n: number; cancels: number }>(
      `select a.status, count(*)::int as n, sum((select count(*) from "${fx.schema}".events e
                where e.stream_name = 'action-' || a.id and e.type = 'DeviceMessageRequested.v1'
                  and e.data->>'type' = 'CANCEL_DOWNLOAD'))::int as cancels
         from ${fx.schema}.actions a where a.rollout_id = $1 group by a.status`,
      [rollout.rolloutId],
    );
    expect(rows).toEqual([{ status: 'canceled', n: 2_500, cancels: 2_500 }]);
    expect((await settlements(rollout.rolloutId)).deleted).toHaveLength(1);
    const { rows: open } = await fx.pool.query(`select 1 from ${fx.schema}.open_actions where rollout_id = $1`, [
      rollout.rolloutId,
    ]);
    expect(open).toEqual([]);
  });

  it('settles only once when the settling transaction dies after its append', async () => {
    const rollout = await underway([1]);
    await lifecycle(rolloutStopping(rollout.rolloutId));
    await fx.dispatch();
    const [action] = await fx.actions(rollout.rolloutId);
    let crashes = 1;
    const crashing = Object.create(fx.store) as EventStore;
    crashing.appendToStreams = async (...args: Parameters<EventStore['appendToStreams']>) => {
      const appended = await fx.store.appendToStreams(...args);
      if (args[0].some((a) => a.streamName.includes('-settled-')) && crashes-- > 0) throw new Error('killed');
      return appended;
    };
    const dying = new DeviceStatusConsumer({ ...fx.deps, store: crashing });
    const canceled = report(action, 'CANCELED');
    await expect(fx.run(dying.handleBatch, [canceled])).rejects.toThrow('killed');
    expect(await statuses(rollout.rolloutId)).toEqual(['canceling']);
    // The batch is delivered again after the crash.
    await fx.run(dying.handleBatch, [canceled]);
    expect(await statuses(rollout.rolloutId)).toEqual(['canceled']);
    expect((await settlements(rollout.rolloutId)).stopped).toHaveLength(1);
  });

  it('settles when the last two answers commit concurrently, whichever commits last', async () => {
    const rollout = await underway([2]);
    await lifecycle(rolloutStopping(rollout.rolloutId));
    await fx.dispatch();
    const [a1, a2] = await fx.actions(rollout.rolloutId);

    // The first answer's batch is applied and held uncommitted while the second one runs.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let firstApplied: () => void = () => undefined;
    const applied = new Promise<void>((resolve) => (firstApplied = resolve));
    const first = withTransaction(fx.pool, async (tx) => {
      const result = await devices.handleBatch([report(a1, 'CANCELED')], { topic: 't', partition: 0, tx });
      firstApplied();
      await held;
      return result;
    });
    await applied;
    // Each batch alone sees the other's action still canceling; the second waits for the first's
    // turn at the rollout, then sees it committed.
    let secondDone = false;
    const second = fx.run(devices.handleBatch, [report(a2, 'CANCELED')]).then((r) => {
      secondDone = true;
      return r;
    });
    await waitFor(async () => {
      const { rows } = await fx.pool.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity
          where wait_event_type = 'Lock' and position($1 in query) > 0`,
        [`${fx.schema}.rollouts`],
      );
      return rows[0].n > 0;
    });
    expect(secondDone).toBe(false);
    release();
    const results = (await Promise.all([first, second])) as BatchResult[];

    expect(results.map((r) => r.ignored)).toEqual([[], []]);
    expect(await statuses(rollout.rolloutId)).toEqual(['canceled', 'canceled']);
    expect((await settlements(rollout.rolloutId)).stopped).toEqual([
      ['RolloutActionsSettled.v1', { rolloutId: rollout.rolloutId, reason: 'STOPPED', settledAt: NOW }],
    ]);
  });
});

/** Polls `probe`, bounded, until it holds. */
async function waitFor(probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('condition not reached within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
