import { eventually, uniqueName } from '@fleetwave/testing';
import { ScheduledStartStore } from './processes/scheduled-start.store';
import { caller, RolloutCommandsFixture } from './testing/rollout-commands.fixture';

/**
 * `startAt` through rollout-command's internal gRPC API (Postgres, the workers running): a
 * rollout starts by itself once its time has passed, also when the process was down at that
 * moment.
 */
describe('scheduled rollout start (Postgres)', () => {
  const fixture = new RolloutCommandsFixture();
  const approvalKey = 'rollout.approval.enabled';
  const starts = new ScheduledStartStore('rollout_command');

  beforeAll(() => fixture.start({ prefix: 'sched', count: 6 }));
  afterAll(() => fixture.stop());

  async function create(startAt: number, permissions?: string[]): Promise<number> {
    const rollout = await fixture.create(
      {
        name: uniqueName('at'),
        distributionSetId: fixture.distributionSetId,
        targetFilterQuery: 'name==sched-*',
        amountGroups: 2,
        startAt,
      },
      caller('planner', permissions),
    );
    expect(rollout.startAt).toBe(startAt);
    return rollout.id;
  }

  const types = async (id: number) => (await fixture.events(id)).map((e) => e.type);

  it('starts a rollout whose startAt passed while rollout-command was down, once it is up again', async () => {
    const startAt = Date.now() + 2_000;
    const id = await create(startAt);
    await fixture.lastEventIs(id, 'RolloutReady.v1');

    // The process goes away before the time; nothing in memory is left to start it.
    await fixture.stopApp();
    await eventually(async () => expect(Date.now()).toBeGreaterThan(startAt + 200), {
      timeoutMs: 10_000,
      description: 'startAt passes while the app is down',
    });
    expect(await types(id)).toEqual(['RolloutCreated.v1', 'RolloutReady.v1']);

    // A new application object on the same database: the durable timer starts it at once.
    await fixture.restartApp();
    await fixture.lastEventIs(id, 'RolloutStarted.v1');
    const started = (await fixture.events(id))[2].data;
    expect(started).toMatchObject({ rolloutId: id, startedBy: 'planner' });
    expect(started.startedAt as number).toBeGreaterThanOrEqual(startAt);
    expect(await starts.find(fixture.pool, id)).toBeUndefined();
  });

  it('still allows a manual start before startAt, and then does not start it again', async () => {
    const id = await create(Date.now() + 1_500);
    await fixture.lastEventIs(id, 'RolloutReady.v1');
    await fixture.command('StartRollout', id);

    // The timer is dropped once due, without a second start.
    await eventually(async () => expect(await starts.find(fixture.pool, id)).toBeUndefined(), {
      timeoutMs: 15_000,
      description: 'the scheduled start is dropped',
    });
    expect(await types(id)).toEqual(['RolloutCreated.v1', 'RolloutReady.v1', 'RolloutStarted.v1']);
  });

  it('starts a due rollout that waited for approval once it is approved', async () => {
    await fixture.setConfig(approvalKey, true);
    try {
      const id = await create(Date.now() - 1_000, ['CREATE_ROLLOUT']);
      await fixture.lastEventIs(id, 'RolloutApprovalRequested.v1');
      // Due, but waiting for approval: it stays so, and its timer stays.
      expect(await starts.find(fixture.pool, id)).toBeDefined();

      await fixture.command('ApproveRollout', id);
      await fixture.lastEventIs(id, 'RolloutStarted.v1');
      expect(await types(id)).toEqual([
        'RolloutCreated.v1',
        'RolloutReady.v1',
        'RolloutApprovalRequested.v1',
        'RolloutApproved.v1',
        'RolloutStarted.v1',
      ]);
    } finally {
      await fixture.resetConfig(approvalKey);
    }
  });
});
