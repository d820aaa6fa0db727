import { eventually, uniqueName } from '@fleetwave/testing';
import { ScheduledStartStore } from './processes/scheduled-start.store';
import { RolloutHttpFixture } from './testing/rollout-http.fixture';

/**
 * `startAt` through rollout-command's HTTP endpoints (Postgres, the workers running): a rollout
 * starts by itself once its time has passed, also when the process was down at that moment.
 */
describe('scheduled rollout start (Postgres)', () => {
  const fixture = new RolloutHttpFixture();
  const send = fixture.send.bind(fixture);
  const starts = new ScheduledStartStore('rollout_command');

  beforeAll(() => fixture.start({ prefix: 'sched', count: 6 }));
  afterAll(() => fixture.stop());

  async function create(startAt: number, headers: Record<string, string> = {}): Promise<number> {
    const answer = await send(
      'POST',
      '/rollouts',
      {
        name: uniqueName('at'),
        distributionSetId: fixture.distributionSetId,
        targetFilterQuery: 'name==sched-*',
        amountGroups: 2,
        startAt,
      },
      { 'x-fleetwave-user': 'planner', ...headers },
    );
    expect(answer.status).toBe(201);
    expect(answer.body.startAt).toBe(startAt);
    return answer.body.id;
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
    expect((await send('POST', `/rollouts/${id}/start`)).status).toBe(204);

    // The timer is dropped once due, without a second start.
    await eventually(async () => expect(await starts.find(fixture.pool, id)).toBeUndefined(), {
      timeoutMs: 15_000,
      description: 'the scheduled start is dropped',
    });
    expect(await types(id)).toEqual(['RolloutCreated.v1', 'RolloutReady.v1', 'RolloutStarted.v1']);
  });

  it('starts a due rollout that waited for approval once it is approved', async () => {
    expect((await send('PUT', '/system/configs/rollout.approval.enabled', { value: true })).status).toBe(200);
    try {
      const id = await create(Date.now() - 1_000, { 'x-fleetwave-permissions': 'CREATE_ROLLOUT' });
      await fixture.lastEventIs(id, 'RolloutApprovalRequested.v1');
      // Due, but waiting for approval: it stays so, and its timer stays.
      expect(await starts.find(fixture.pool, id)).toBeDefined();

      expect((await send('POST', `/rollouts/${id}/approve`)).status).toBe(204);
      await fixture.lastEventIs(id, 'RolloutStarted.v1');
      expect(await types(id)).toEqual([
        'RolloutCreated.v1',
        'RolloutReady.v1',
        'RolloutApprovalRequested.v1',
        'RolloutApproved.v1',
        'RolloutStarted.v1',
      ]);
    } finally {
      await send('DELETE', '/system/configs/rollout.approval.enabled');
    }
  });
});
