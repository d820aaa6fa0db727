import { uniqueName } from '@fleetwave/testing';
import { RolloutHttpFixture } from '../rollouts/testing/rollout-http.fixture';

/**
 * Tenant settings through `/rest/v1/system/configs` (hawkBit's shapes), and rollout approval:
 * the setting read at creation time together with the creator's forwarded permissions.
 */
describe('system configs and rollout approval (Postgres)', () => {
  const fixture = new RolloutHttpFixture();
  const send = fixture.send.bind(fixture);
  const approvalKey = '/system/configs/rollout.approval.enabled';
  const defaultEntry = (key: string) => ({
    value: false,
    global: true,
    _links: { self: { href: `/rest/v1/system/configs/${key}` } },
  });

  beforeAll(() => fixture.start({ prefix: 'appr', count: 12 }));
  afterAll(() => fixture.stop());

  async function created(headers: Record<string, string>): Promise<number> {
    const answer = await send(
      'POST',
      '/rollouts',
      {
        name: uniqueName('r'),
        distributionSetId: fixture.distributionSetId,
        targetFilterQuery: 'name==appr-*',
        amountGroups: 1,
      },
      { 'x-fleetwave-user': 'creator', ...headers },
    );
    expect(answer.status).toBe(201);
    return answer.body.id;
  }

  it('lists every known setting with its default, and reads one', async () => {
    expect(await send('GET', '/system/configs')).toEqual({
      status: 200,
      body: {
        'rollout.approval.enabled': defaultEntry('rollout.approval.enabled'),
        'user.confirmation.flow.enabled': defaultEntry('user.confirmation.flow.enabled'),
      },
    });
    expect(await send('GET', '/system/configs/user.confirmation.flow.enabled')).toEqual({
      status: 200,
      body: defaultEntry('user.confirmation.flow.enabled'),
    });
  });

  it.each([
    ['GET an unknown key', 404, 'GET', '/system/configs/no.such.key', undefined],
    ['PUT an unknown key', 404, 'PUT', '/system/configs/no.such.key', { value: true }],
    ['DELETE an unknown key', 404, 'DELETE', '/system/configs/no.such.key', undefined],
    ['PUT a string for a boolean', 400, 'PUT', approvalKey, { value: 'true' }],
    ['PUT a number for a boolean', 400, 'PUT', approvalKey, { value: 1 }],
    ['PUT null', 400, 'PUT', approvalKey, { value: null }],
    ['PUT without a value', 400, 'PUT', approvalKey, {}],
  ])('%s → %i with hawkBit’s error body', async (_case, status, method, path, body) => {
    expect(await send(method, path, body)).toEqual({
      status,
      body: { exceptionClass: expect.any(String), errorCode: expect.any(String), message: expect.any(String) },
    });
    expect((await send('GET', approvalKey)).body.global).toBe(true);
  });

  it('changes several settings at once, all or nothing, and answers every setting', async () => {
    const refused = await send('PUT', '/system/configs', { 'rollout.approval.enabled': true, 'no.such.key': true });
    expect(refused.status).toBe(404);
    expect(
      (
        await send('PUT', '/system/configs', {
          'rollout.approval.enabled': true,
          'user.confirmation.flow.enabled': 'x',
        })
      ).status,
    ).toBe(400);
    expect((await send('PUT', '/system/configs', {})).status).toBe(400);
    expect((await send('GET', approvalKey)).body.global).toBe(true);

    const both = { 'rollout.approval.enabled': true, 'user.confirmation.flow.enabled': true };
    const answer = await send('PUT', '/system/configs', both, { 'x-fleetwave-user': 'ops' });
    expect(answer.status).toBe(200);
    expect(answer.body['rollout.approval.enabled']).toMatchObject({
      value: true,
      global: false,
      lastModifiedBy: 'ops',
    });
    expect(answer.body['user.confirmation.flow.enabled']).toMatchObject({ value: true, global: false });
    expect((await send('GET', '/system/configs/user.confirmation.flow.enabled')).body.value).toBe(true);

    for (const key of Object.keys(both)) expect((await send('DELETE', `/system/configs/${key}`)).status).toBe(204);
    expect((await send('GET', approvalKey)).body).toEqual(defaultEntry('rollout.approval.enabled'));
  });

  it('with approval on, a creator lacking APPROVE_ROLLOUT waits for approval; approve and deny record who and why', async () => {
    const put = await send('PUT', approvalKey, { value: true }, { 'x-fleetwave-user': 'tenant-admin' });
    expect(put).toEqual({
      status: 200,
      body: {
        value: true,
        global: false,
        createdAt: expect.any(Number),
        createdBy: 'tenant-admin',
        lastModifiedAt: expect.any(Number),
        lastModifiedBy: 'tenant-admin',
        _links: { self: { href: `/rest/v1/${approvalKey.slice(1)}` } },
      },
    });
    expect((await send('GET', approvalKey)).body).toEqual(put.body);

    const waiting = await created({ 'x-fleetwave-permissions': 'READ_ROLLOUT, CREATE_ROLLOUT' });
    const denied = await created({ 'x-fleetwave-permissions': 'CREATE_ROLLOUT' });
    const approver = await created({ 'x-fleetwave-permissions': 'CREATE_ROLLOUT,APPROVE_ROLLOUT' });
    const everything = await created({ 'x-fleetwave-permissions': '*' });
    const direct = await created({});
    await fixture.lastEventIs(waiting, 'RolloutApprovalRequested.v1');
    await fixture.lastEventIs(denied, 'RolloutApprovalRequested.v1');
    for (const id of [approver, everything, direct]) await fixture.lastEventIs(id, 'RolloutReady.v1');
    expect((await fixture.events(waiting))[0].data.approvalRequired).toBe(true);
    expect((await fixture.events(approver))[0].data.approvalRequired).toBe(false);

    const boss = { 'x-fleetwave-user': 'boss' };
    expect((await send('POST', `/rollouts/${waiting}/start`)).status).toBe(400);
    expect(await send('POST', `/rollouts/${waiting}/approve?remark=looks%20good`, undefined, boss)).toEqual({
      status: 204,
      body: undefined,
    });
    expect(await send('POST', `/rollouts/${denied}/deny?remark=not%20now`, undefined, boss)).toEqual({
      status: 204,
      body: undefined,
    });
    expect((await fixture.events(waiting)).at(-1)).toEqual({
      type: 'RolloutApproved.v1',
      data: { rolloutId: waiting, approvedAt: expect.any(Number), approvedBy: 'boss', remark: 'looks good' },
    });
    expect((await fixture.events(denied)).at(-1)).toEqual({
      type: 'RolloutDenied.v1',
      data: { rolloutId: denied, deniedAt: expect.any(Number), deniedBy: 'boss', remark: 'not now' },
    });
    // Decided once: neither can be approved or denied again; the approved one can start.
    for (const id of [waiting, denied]) {
      expect((await send('POST', `/rollouts/${id}/approve`)).status).toBe(400);
      expect((await send('POST', `/rollouts/${id}/deny`)).status).toBe(400);
    }
    expect((await send('POST', `/rollouts/${approver}/approve`)).status).toBe(400);
    expect((await send('POST', `/rollouts/${waiting}/start`)).status).toBe(204);
    expect((await send('POST', `/rollouts/${denied}/start`)).status).toBe(400);
    expect((await send('POST', `/rollouts/${waiting}/approve?remark=a&remark=b`)).body.errorCode).toBe(
      'hawkbit.server.error.rest.param.invalid',
    );

    // Back to the default: creation no longer asks for approval.
    expect(await send('DELETE', approvalKey)).toEqual({ status: 204, body: undefined });
    expect((await send('GET', approvalKey)).body).toEqual(defaultEntry('rollout.approval.enabled'));
    const after = await created({ 'x-fleetwave-permissions': 'CREATE_ROLLOUT' });
    await fixture.lastEventIs(after, 'RolloutReady.v1');
    expect((await fixture.events(after))[0].data.approvalRequired).toBe(false);
  });
});
