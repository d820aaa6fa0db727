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
    // The same start delivered again (a new message id) activates nothing more.
    const again = fx.item(groupStarted(rollout.rolloutId, rollout.groups[0]));
    expect(await fx.run(groups.handleBatch, [again])).toEqual({ rejected: [], ignored: [again.context.messageId] });

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

  it('lets the rollout start activate a group whose start was consumed first, in one batch of definitions', async () => {
    const rollout = rolloutOf([5, 5]);
    await fx.run(groups.handleBatch, [fx.item(groupStarted(rollout.rolloutId, rollout.groups[0]))]);
    expect(await fx.actions(rollout.rolloutId)).toEqual([]);

    await fx.run(
      rollouts.handleBatch,
      [rollout.created, ...rollout.members, rolloutStarted(rollout.rolloutId)].map((e) => fx.item(e)),
    );
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
  });

  it('activates the group when its start races a rollout start that is still committing', async () => {
    const rollout = rolloutOf([4]);
    await fx.run(
      rollouts.handleBatch,
      [rollout.created, ...rollout.members].map((e) => fx.item(e)),
    );
    let releaseStart: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (releaseStart = resolve));
    // The rollout start runs up to its commit and waits there, holding its lock on the rollout row.
    const start = withTransaction(fx.pool, async (tx) => {
      await rollouts.handleBatch([fx.item(rolloutStarted(rollout.rolloutId))], { topic: 't', partition: 0, tx });
      await held;
    });
    await until('the rollout start locking its row', () =>
      fx.pool
        .query(`select 1 from ${fx.schema}.rollouts where rollout_id = $1 for update nowait`, [rollout.rolloutId])
        .then(
          () => false,
          () => true,
        ),
    );
    const groupStart = fx.run(groups.handleBatch, [fx.item(groupStarted(rollout.rolloutId, rollout.groups[0]))]);
    // The group start must wait for the start's commit rather than read the rollout as not started.
    await until('the group start waiting on the rollout row', async () => {
      const { rows } = await fx.pool.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity
          where wait_event_type = 'Lock' and query like '%for share%' and query like $1`,
        [`%${fx.schema}.rollouts%`],
      );
      return rows[0].n > 0;
    });
    releaseStart();
    await Promise.all([start, groupStart]);
    expect((await dispatched(rollout.rolloutId)).map((r) => [r.status, r.instructions])).toEqual(
      Array.from({ length: 4 }, () => ['running', 1]),
    );
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
