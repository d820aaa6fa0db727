import { eventually, FleetwaveClient, RolloutView, uniqueName } from '@fleetwave/testing';
import {
  admin,
  command,
  createReadyRollout,
  fleet,
  groupStatuses,
  untilGroups,
  untilStatus,
} from './testing/rollout-steps';

/**
 * Group cascade rules, emergency shutdown and the lifecycle commands, through REST and the
 * device topics only. Devices of one kind are registered (and their targets created) before the
 * next kind, so that the auto split, which takes targets in id order, puts them in known groups.
 */

// Users configured for the test cluster by scripts/test.sh (FLEETWAVE_USERS).
const operator = new FleetwaveClient({ user: 'operator', password: 'operator' });
const viewer = new FleetwaveClient({ user: 'viewer', password: 'viewer' });
// The operator's API token (FLEETWAVE_TOKENS in scripts/test.sh).
const operatorToken = new FleetwaveClient({ token: 'e2e-operator-token-0123456789' });

describe('group cascade and emergency shutdown', () => {
  it('pauses the rollout when a group passes its error threshold, and resume starts the next group', async () => {
    const prefix = uniqueName('shutdown');
    await fleet(prefix, ['fail', 4], ['succeed', 6]);
    const id = await createReadyRollout(prefix, {
      amountGroups: 2,
      errorCondition: { condition: 'THRESHOLD', expression: '20' },
    });
    await admin.expect(204, 'POST', `/rollouts/${id}/start`);

    await untilStatus(id, 'paused');
    await untilGroups(id, ['error', 'scheduled']);
    const [failed] = await admin.deployGroups(id);
    expect(failed.totalTargets).toBe(5);

    await admin.expect(204, 'POST', `/rollouts/${id}/resume`);
    const finished = await untilStatus(id, 'finished', 90_000);
    expect(finished.totalTargetsPerStatus).toEqual({
      running: 0,
      notstarted: 0,
      scheduled: 0,
      cancelled: 0,
      finished: 6,
      error: 4,
    });
    expect(await groupStatuses(id)).toEqual(['error', 'finished']);
  });

  it('does not pause when the errors are exactly at the threshold', async () => {
    const prefix = uniqueName('at-threshold');
    await fleet(prefix, ['fail', 1], ['succeed', 9]);
    const id = await createReadyRollout(prefix, {
      amountGroups: 2,
      errorCondition: { condition: 'THRESHOLD', expression: 20 },
    });
    await admin.expect(204, 'POST', `/rollouts/${id}/start`);
    const finished = await untilStatus(id, 'finished', 90_000);
    expect(finished.totalTargetsPerStatus.finished).toBe(9);
    expect(finished.totalTargetsPerStatus.error).toBe(1);
    expect(await groupStatuses(id)).toEqual(['finished', 'finished']);

    // A finished rollout is soft-deleted: its history stays readable.
    await admin.expect(204, 'DELETE', `/rollouts/${id}`);
    const deleted = await untilStatus(id, 'deleted');
    expect(deleted.totalTargetsPerStatus).toMatchObject({ finished: 9, error: 1 });
  });

  it('pauses on more failed devices than an ERROR_COUNT allows', async () => {
    const prefix = uniqueName('error-count');
    await fleet(prefix, ['fail', 3], ['succeed', 7]);
    const id = await createReadyRollout(prefix, {
      amountGroups: 2,
      errorCondition: { condition: 'ERROR_COUNT', expression: 2 },
    });
    await admin.expect(204, 'POST', `/rollouts/${id}/start`);
    await untilStatus(id, 'paused');
    await untilGroups(id, ['error', 'scheduled']);
    await admin.expect(204, 'POST', `/rollouts/${id}/resume`);
    await untilStatus(id, 'finished', 90_000);
  });

  it('runs the PAUSE success action, and resume goes on with the next group', async () => {
    const prefix = uniqueName('pause-action');
    await fleet(prefix, ['succeed', 6]);
    const id = await createReadyRollout(prefix, {
      amountGroups: 3,
      successCondition: { condition: 'THRESHOLD', expression: 100 },
      successAction: { action: 'PAUSE' },
    });
    await admin.expect(204, 'POST', `/rollouts/${id}/start`);
    await untilStatus(id, 'paused');
    await untilGroups(id, ['finished', 'scheduled', 'scheduled']);
    await admin.expect(204, 'POST', `/rollouts/${id}/resume`);
    // Group 2 pauses the rollout again; the last group does not.
    await untilGroups(id, ['finished', 'finished', 'scheduled']);
    await untilStatus(id, 'paused');
    await admin.expect(204, 'POST', `/rollouts/${id}/resume`);
    const finished = await untilStatus(id, 'finished', 90_000);
    expect(finished.totalTargetsPerStatus.finished).toBe(6);
  });
});

describe('lifecycle commands', () => {
  it('pauses and resumes by hand, refuses commands in the wrong state, and stops once devices cancel', async () => {
    const prefix = uniqueName('manual');
    await fleet(prefix, ['hold', 4]);
    const id = await createReadyRollout(prefix, { amountGroups: 2 });
    for (const verb of ['pause', 'resume', 'triggerNextGroup']) expect((await command(id, verb)).status).toBe(400);

    await admin.expect(204, 'POST', `/rollouts/${id}/start`);
    await untilGroups(id, ['running', 'scheduled']);
    expect((await command(id, 'start')).status).toBe(400);
    await admin.expect(204, 'POST', `/rollouts/${id}/pause`);
    expect((await admin.rollout(id)).status).toBe('paused');
    const again = await command(id, 'pause');
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ errorCode: 'hawkbit.server.error.rollout.illegalstate' });
    await admin.expect(204, 'POST', `/rollouts/${id}/resume`);
    expect((await admin.rollout(id)).status).toBe('running');
    expect((await command(id, 'resume')).status).toBe(400);

    await admin.expect(204, 'POST', `/rollouts/${id}/stop`);
    const stopped = await untilStatus(id, 'stopped');
    expect(stopped.totalTargetsPerStatus).toMatchObject({ running: 0, scheduled: 0, cancelled: 4, finished: 0 });
    expect(await groupStatuses(id)).toEqual(['finished', 'finished']);
    for (const verb of ['start', 'pause', 'resume', 'stop']) expect((await command(id, verb)).status).toBe(400);
  });

  it('lets a device refuse a cancel and finish: the rollout still stops', async () => {
    const prefix = uniqueName('reject-cancel');
    await fleet(prefix, ['reject-cancel', 2]);
    const id = await createReadyRollout(prefix, { amountGroups: 1 });
    await admin.expect(204, 'POST', `/rollouts/${id}/start`);
    await untilGroups(id, ['running']);
    await admin.expect(204, 'POST', `/rollouts/${id}/stop`);
    const stopped = await untilStatus(id, 'stopped');
    expect(stopped.totalTargetsPerStatus).toMatchObject({ finished: 2, cancelled: 0, running: 0 });
  });

  it('triggers the next group below the threshold, then deletes the running rollout', async () => {
    const prefix = uniqueName('trigger');
    await fleet(prefix, ['hold', 4]);
    const id = await createReadyRollout(prefix, { amountGroups: 2 });
    await admin.expect(204, 'POST', `/rollouts/${id}/start`);
    await untilGroups(id, ['running', 'scheduled']);
    await admin.expect(204, 'POST', `/rollouts/${id}/triggerNextGroup`);
    await untilGroups(id, ['running', 'running']);
    // No scheduled group is left to trigger.
    await eventually(async () => expect((await command(id, 'triggerNextGroup')).status).toBe(400), {
      description: 'triggerNextGroup refused',
    });

    await admin.expect(204, 'DELETE', `/rollouts/${id}`);
    const deleted = await untilStatus(id, 'deleted');
    expect(deleted.totalTargetsPerStatus).toMatchObject({ running: 0, scheduled: 0, cancelled: 4 });
    expect((await command(id, 'start')).status).toBe(400);
  });

  it('removes a rollout that never started, stops a ready one at once, and renames', async () => {
    const prefix = uniqueName('never-started');
    await fleet(prefix, ['succeed', 2]);
    const removed = await createReadyRollout(prefix, { amountGroups: 1 });
    await admin.expect(204, 'DELETE', `/rollouts/${removed}`);
    expect((await admin.call('GET', `/rollouts/${removed}`)).status).toBe(404);
    expect((await command(removed, 'start')).status).toBe(404);

    const stopped = await createReadyRollout(prefix, { amountGroups: 1 }, { name: `${prefix}-stop` });
    await admin.expect(204, 'POST', `/rollouts/${stopped}/stop`);
    expect((await admin.rollout(stopped)).status).toBe('stopped');

    const renamed = await admin.expect<RolloutView & { description: string }>(200, 'PUT', `/rollouts/${stopped}`, {
      name: `${prefix}-renamed`,
      description: 'kept for the record',
    });
    expect(renamed.name).toBe(`${prefix}-renamed`);
    const view = (await admin.rollout(stopped)) as RolloutView & { description: string };
    expect([view.name, view.description]).toEqual([`${prefix}-renamed`, 'kept for the record']);

    // q and sort on the rollout list.
    const page = (query: string) =>
      admin.expect<{ content: RolloutView[]; total: number }>(200, 'GET', `/rollouts?${query}`);
    const renamedOnly = await page(`q=${encodeURIComponent(`name==${prefix}-RENAMED;status==stopped`)}`);
    expect(renamedOnly.content.map((r) => r.id)).toEqual([stopped]);
    const mine = await page(`q=${encodeURIComponent(`name==${prefix}*`)}&sort=id:DESC`);
    expect(mine.content.map((r) => r.id)).toEqual([stopped]);
    const bad = await admin.call<{ errorCode: string }>(
      'GET',
      `/rollouts?q=${encodeURIComponent('name==a;colour==x')}`,
    );
    expect([bad.status, bad.body.errorCode]).toEqual([400, 'hawkbit.server.error.rest.param.rsqlInvalidField']);
    const malformed = await admin.call<{ errorCode: string }>('GET', `/rollouts?q=${encodeURIComponent('name==(')}`);
    expect([malformed.status, malformed.body.errorCode]).toEqual([
      400,
      'hawkbit.server.error.rest.param.rsqlParamSyntax',
    ]);
    expect((await admin.call('GET', '/rollouts?sort=colour:ASC')).status).toBe(400);
  });

  it('needs HANDLE_ROLLOUT to start, by Basic credentials or an API token', async () => {
    const prefix = uniqueName('forbidden');
    await fleet(prefix, ['succeed', 1]);
    const id = await createReadyRollout(prefix, { amountGroups: 1 });
    expect((await command(id, 'start', viewer)).status).toBe(403);
    expect((await admin.rollout(id)).status).toBe('ready');
    expect(
      (await new FleetwaveClient({ token: 'not-a-configured-token-000' }).call('GET', `/rollouts/${id}`)).status,
    ).toBe(401);
    // A bearer token acts as its user: the operator may start.
    expect((await command(id, 'start', operatorToken)).status).toBe(204);
  });
});

describe('approval', () => {
  const setting = '/system/configs/rollout.approval.enabled';
  afterAll(async () => {
    await admin.call('DELETE', setting);
  });

  it('waits for approval when the creator may not approve; approve and deny decide', async () => {
    await admin.expect(200, 'PUT', setting, { value: true });
    expect(await admin.expect<{ value: boolean }>(200, 'GET', setting)).toMatchObject({ value: true });
    expect((await viewer.call('PUT', setting, { value: false })).status).toBe(403);

    const prefix = uniqueName('approval');
    await fleet(prefix, ['succeed', 2]);
    // The admin holds APPROVE_ROLLOUT: no approval needed.
    await createReadyRollout(prefix, { amountGroups: 1 }, { name: `${prefix}-admin` });

    const waiting = { client: operator, status: 'waiting_for_approval' };
    const approved = await createReadyRollout(prefix, { amountGroups: 1 }, { ...waiting, name: `${prefix}-a` });
    expect((await command(approved, 'start')).status).toBe(400);
    expect((await command(approved, 'approve', operator)).status).toBe(403);
    await admin.expect(204, 'POST', `/rollouts/${approved}/approve?remark=looks%20good`);
    await untilStatus(approved, 'ready');

    const denied = await createReadyRollout(prefix, { amountGroups: 1 }, { ...waiting, name: `${prefix}-d` });
    await admin.expect(204, 'POST', `/rollouts/${denied}/deny?remark=not%20now`);
    const view = (await untilStatus(denied, 'approval_denied')) as RolloutView & Record<string, unknown>;
    expect(view).toMatchObject({ approvalDecidedBy: 'admin', approvalRemark: 'not now' });
  });
});
