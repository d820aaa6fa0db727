import type { DownloadAndInstallMessage, RolloutGroupMembersAssignedV1 } from '@fleetwave/contracts';
import { withTransaction } from '@fleetwave/platform';
import type { Envelope } from '@fleetwave/service-kit';
import { GroupEventsConsumer } from './consumers/group-events.consumer';
import { RolloutEventsConsumer } from './consumers/rollout-events.consumer';
import { DispatchFixture, groupStarted, rolloutOf, rolloutStarted } from './testing/dispatch.fixture';

/** Splits a members event into chunks of `size`, as rollout-command writes membership. */
function chunked(members: Envelope, size: number): Envelope[] {
  const data = members.data as RolloutGroupMembersAssignedV1;
  const chunks: Envelope[] = [];
  for (let i = 0; i < data.members.length; i += size) {
    chunks.push({ type: members.type, data: { ...data, chunk: i / size, members: data.members.slice(i, i + size) } });
  }
  return chunks;
}

describe('group activation in bulk (real Postgres)', () => {
  const fx = new DispatchFixture();
  const rollouts = new RolloutEventsConsumer(fx.deps);
  const groups = new GroupEventsConsumer(fx.deps);
  beforeAll(() => fx.setUp());
  afterAll(() => fx.dispose());

  /** Per action of the rollout: its status, revision and how many instructions its stream holds. */
  async function dispatched(rolloutId: number) {
    const { rows } = await fx.pool.query<{ status: string; revision: number; instructions: number; groups: string }>(
      `select a.status, a.revision, count(e.position)::int as instructions, a.group_id as groups
         from ${fx.schema}.actions a
         left join "${fx.schema}".events e on e.stream_name = 'action-' || a.id and e.type = 'DeviceMessageRequested.v1'
        where a.rollout_id = $1 group by a.id order by a.id`,
      [rolloutId],
    );
    return rows;
  }

  it('activates a group of 20,000 actions with exactly one instruction per action', async () => {
    const rollout = rolloutOf([20_000, 3]);
    const members = rollout.members.flatMap((m) => chunked(m, 1_000));
    await fx.run(
      rollouts.handleBatch,
      [rollout.created, ...members, rolloutStarted(rollout.rolloutId)].map((e) => fx.item(e)),
    );
    const first = fx.item(groupStarted(rollout.rolloutId, rollout.groups[0]));

    expect(await fx.run(groups.handleBatch, [first])).toEqual({ rejected: [], ignored: [] });
    await fx.dispatch();
    // The same start delivered again (a new message id) activates nothing more.
    const again = fx.item(groupStarted(rollout.rolloutId, rollout.groups[0]));
    expect(await fx.run(groups.handleBatch, [again])).toEqual({ rejected: [], ignored: [again.context.messageId] });
    expect(await fx.dispatch()).toEqual([]);

    const rows = await dispatched(rollout.rolloutId);
    const group1 = rows.filter((r) => Number(r.groups) === rollout.groups[0]);
    const group2 = rows.filter((r) => Number(r.groups) === rollout.groups[1]);
    expect(group1).toHaveLength(20_000);
    expect(group1.every((r) => r.status === 'running' && r.revision === 1 && r.instructions === 1)).toBe(true);
    expect(group2.map((r) => [r.status, r.revision, r.instructions])).toEqual([
      ['scheduled', -1, 0],
      ['scheduled', -1, 0],
      ['scheduled', -1, 0],
    ]);
  });

  it('addresses each instruction to the action, its device and the rollout distribution set', async () => {
    const rollout = rolloutOf([2]);
    await fx.run(
      rollouts.handleBatch,
      [rollout.created, ...rollout.members, rolloutStarted(rollout.rolloutId)].map((e) => fx.item(e)),
    );
    await fx.run(groups.handleBatch, [fx.item(groupStarted(rollout.rolloutId, rollout.groups[0]))]);
    await fx.dispatch();
    const [action] = await fx.actions(rollout.rolloutId);
    const events = await fx.events(`action-${action.id}`);
    expect(events.map((e) => e.type)).toEqual(['ActionStatusChanged.v1', 'DeviceMessageRequested.v1']);
    expect(events[1].data as DownloadAndInstallMessage).toEqual({
      type: 'DOWNLOAD_AND_INSTALL',
      tenant: 'DEFAULT',
      controllerId: action.controller,
      actionId: action.id,
      rolloutId: rollout.rolloutId,
      groupId: rollout.groups[0],
      actionType: 'forced',
      weight: 500,
      distributionSet: { id: 7, name: 'fw', version: '2.0' },
      softwareModules: [],
    });
  });

  it('activates a group whose start was consumed before the rollout start, once its actions exist', async () => {
    const rollout = rolloutOf([5, 5]);
    await fx.run(groups.handleBatch, [fx.item(groupStarted(rollout.rolloutId, rollout.groups[0]))]);
    expect(await fx.dispatch()).toEqual([]);

    await fx.run(
      rollouts.handleBatch,
      [rollout.created, ...rollout.members, rolloutStarted(rollout.rolloutId)].map((e) => fx.item(e)),
    );
    await fx.dispatch();
    const rows = await dispatched(rollout.rolloutId);
    expect(rows.map((r) => [r.status, r.instructions])).toEqual([
      ...Array.from({ length: 5 }, () => ['running', 1]),
      ...Array.from({ length: 5 }, () => ['scheduled', 0]),
    ]);
    const restart = fx.item(rolloutStarted(rollout.rolloutId));
    expect(await fx.run(rollouts.handleBatch, [restart])).toEqual({
      rejected: [],
      ignored: [restart.context.messageId],
    });
    expect(await fx.dispatch()).toEqual([]);
  });

  it('leaves a start still committing alone, and the commit itself wakes a listening worker', async () => {
    const rollout = rolloutOf([4]);
    await fx.run(
      rollouts.handleBatch,
      [rollout.created, ...rollout.members].map((e) => fx.item(e)),
    );
    await fx.run(groups.handleBatch, [fx.item(groupStarted(rollout.rolloutId, rollout.groups[0]))]);
    // Only a notification can wake this worker in time: its poll is far beyond the test's bound.
    const worker = fx.worker(undefined, { pollMs: 600_000 });
    worker.start();
    try {
      let releaseStart: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (releaseStart = resolve));
      const start = withTransaction(fx.pool, async (tx) => {
        await rollouts.handleBatch([fx.item(rolloutStarted(rollout.rolloutId))], { topic: 't', partition: 0, tx });
        await held;
      });
      // While the start is uncommitted, a chunk finds nothing to claim.
      await until('the start holding its lock on the rollout row', () =>
        fx.pool
          .query(`select 1 from ${fx.schema}.rollouts where rollout_id = $1 for update nowait`, [rollout.rolloutId])
          .then(
            () => false,
            () => true,
          ),
      );
      expect(await fx.dispatch()).toEqual([]);
      releaseStart();
      await start;
      await until('the group activated by the woken worker', async () => {
        const rows = await dispatched(rollout.rolloutId);
        return rows.length === 4 && rows.every((r) => r.status === 'running' && r.instructions === 1);
      });
      expect(await dispatched(rollout.rolloutId)).toHaveLength(4);
    } finally {
      await worker.stop();
    }
  });
});

/** Polls `probe`, bounded, until it holds. */
async function until(description: string, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`${description} did not happen within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
