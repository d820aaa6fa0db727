import { eventually, uniqueName } from '@fleetwave/testing';
import { admin, createReadyRollout, fleet, groupStatuses, untilGroups, untilStatus } from './testing/rollout-steps';
import { DeviceTopics } from './testing/device-topics';

type Counts = Record<'running' | 'notstarted' | 'scheduled' | 'cancelled' | 'finished' | 'error', number>;

const counts = (running: number, scheduled: number, finished: number, cancelled = 0, error = 0): Counts => ({
  running,
  notstarted: 0,
  scheduled,
  cancelled,
  finished,
  error,
});

/**
 * The group cascade's rules where they are easiest to get wrong, through REST and the device
 * topics only: counts at every step of a five-group cascade, a 0% success threshold, a group
 * that completes with neither condition met, and cancelled actions kept in the denominator.
 */
describe('group conditions', () => {
  const topics = new DeviceTopics();
  beforeAll(() => topics.connect());
  afterAll(() => topics.disconnect());

  it('cascades through five groups with exact per-status counts at every step', async () => {
    const prefix = uniqueName('five');
    await fleet(prefix, ['succeed', 10]);
    // PAUSE after each group (but the last) holds the cascade still, one step at a time.
    const id = await createReadyRollout(prefix, {
      amountGroups: 5,
      successCondition: { condition: 'THRESHOLD', expression: '100' },
      successAction: { action: 'PAUSE' },
    });
    await admin.expect(204, 'POST', `/rollouts/${id}/start`);
    for (let step = 1; step <= 4; step++) {
      const paused = await untilStatus(id, 'paused');
      const groups = (await admin.deployGroups(id)).map((g) => [g.status, g.totalTargetsPerStatus.finished]);
      expect({ step, counts: paused.totalTargetsPerStatus, groups }).toEqual({
        step,
        counts: counts(0, 10 - 2 * step, 2 * step),
        groups: [1, 2, 3, 4, 5].map((g) => (g <= step ? ['finished', 2] : ['scheduled', 0])),
      });
      await admin.expect(204, 'POST', `/rollouts/${id}/resume`);
    }
    // No pause after the last group: the rollout finishes.
    const finished = await untilStatus(id, 'finished');
    expect(finished.totalTargetsPerStatus).toEqual(counts(0, 0, 10));
    expect(await groupStatuses(id)).toEqual(['finished', 'finished', 'finished', 'finished', 'finished']);
  });

  it('starts one group after another at once with a 0% success threshold', async () => {
    const prefix = uniqueName('zero');
    await fleet(prefix, ['hold', 6]);
    const id = await createReadyRollout(prefix, {
      amountGroups: 3,
      successCondition: { condition: 'THRESHOLD', expression: '0' },
    });
    await admin.expect(204, 'POST', `/rollouts/${id}/start`);
    // Nothing has finished (the devices hold), yet every group runs.
    await untilGroups(id, ['running', 'running', 'running']);
    await eventually(async () => expect((await admin.rollout(id)).totalTargetsPerStatus).toEqual(counts(6, 0, 0)), {
      timeoutMs: 30_000,
      description: 'every action running',
    });
    await admin.expect(204, 'POST', `/rollouts/${id}/stop`);
    const stopped = await untilStatus(id, 'stopped');
    expect(stopped.totalTargetsPerStatus).toEqual(counts(0, 0, 0, 6));
  });

  it('finishes a complete group that met neither condition, and runs its success action', async () => {
    const prefix = uniqueName('neither');
    // Group 1: one failure of four (25%, not above 50%), three finished (75%, below 100%).
    await fleet(prefix, ['fail', 1], ['succeed', 7]);
    const id = await createReadyRollout(prefix, {
      amountGroups: 2,
      successCondition: { condition: 'THRESHOLD', expression: '100' },
      errorCondition: { condition: 'THRESHOLD', expression: '50' },
    });
    await admin.expect(204, 'POST', `/rollouts/${id}/start`);
    const finished = await untilStatus(id, 'finished');
    expect(finished.totalTargetsPerStatus).toEqual(counts(0, 0, 7, 0, 1));
    expect(await groupStatuses(id)).toEqual(['finished', 'finished']);
  });

  it('keeps cancelled actions in the denominator of the success condition', async () => {
    const prefix = uniqueName('denominator');
    // Group 1 of five: two succeed, three hold; group 2: five succeed.
    await fleet(prefix, ['succeed', 2], ['hold', 3], ['succeed', 5]);
    const older = await createReadyRollout(
      prefix,
      { amountGroups: 2, successCondition: { condition: 'THRESHOLD', expression: '60' } },
      { name: `${prefix}-old` },
    );
    await admin.expect(204, 'POST', `/rollouts/${older}/start`);
    await eventually(
      async () =>
        expect((await admin.deployGroups(older))[0].totalTargetsPerStatus).toMatchObject({ finished: 2, running: 3 }),
      { timeoutMs: 30_000, description: 'group 1: two finished, three holding' },
    );

    // A newer rollout takes two of the holding devices: their actions in the older one are cancelled.
    const holding = await admin.expect<{ content: { controllerId: string }[] }>(
      200,
      'GET',
      `/targets?q=${encodeURIComponent(`controllerId==${prefix}-1hold-*`)}&sort=id:ASC&limit=2`,
    );
    const taken = holding.content.map((t) => t.controllerId);
    expect(taken).toHaveLength(2);
    const newer = await createReadyRollout(
      prefix,
      { amountGroups: 1, targetFilterQuery: `controllerid=in=(${taken.join(',')})` },
      { name: `${prefix}-new` },
    );
    await admin.expect(204, 'POST', `/rollouts/${newer}/start`);
    await eventually(
      async () =>
        expect((await admin.deployGroups(older))[0].totalTargetsPerStatus).toMatchObject({
          finished: 2,
          cancelled: 2,
          running: 1,
        }),
      { timeoutMs: 60_000, description: 'two of group 1 cancelled' },
    );
    // 2 finished of 5 (40%) stays below 60%; 2 of the 3 not cancelled would have passed it.
    await topics.untilConsumed(['group-orchestrator', 'action-dispatch']);
    expect(await groupStatuses(older)).toEqual(['running', 'scheduled']);

    await admin.expect(204, 'POST', `/rollouts/${older}/stop`);
    await admin.expect(204, 'POST', `/rollouts/${newer}/stop`);
    await untilStatus(older, 'stopped');
    await untilStatus(newer, 'stopped');
  });
});
