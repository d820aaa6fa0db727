import { refusalOf as refusal, uniqueName } from '@fleetwave/testing';
import { caller, refusedWith, RolloutCommandsFixture } from '../rollouts/testing/rollout-commands.fixture';

/**
 * Tenant settings over `fleetwave.internal.v1.SystemConfigs` (values as JSON, hawkBit's refusals),
 * and rollout approval: the setting read at creation time together with the creator's
 * permissions, as the gateway tells them.
 */
describe('system configs and rollout approval over gRPC (Postgres)', () => {
  const fixture = new RolloutCommandsFixture();
  const approval = 'rollout.approval.enabled';
  const confirmation = 'user.confirmation.flow.enabled';
  const defaultEntry = (key: string) => ({ key, valueJson: 'false', global: true });
  const get = (key: string) => fixture.configs.call('GetConfig', { key });
  const setJson = (key: string, valueJson?: string) =>
    fixture.configs.call('SetConfig', {
      caller: caller('ann'),
      value: { key, ...(valueJson !== undefined ? { valueJson } : {}) },
    });
  const setAll = (values: Record<string, unknown>, by = caller('ops')) =>
    fixture.configs.call('SetConfigs', {
      caller: by,
      values: Object.entries(values).map(([key, value]) => ({ key, valueJson: JSON.stringify(value) })),
    });

  beforeAll(() => fixture.start({ prefix: 'appr', count: 12 }));
  afterAll(() => fixture.stop());

  async function created(permissions: string[]): Promise<number> {
    const body = {
      name: uniqueName('r'),
      distributionSetId: fixture.distributionSetId,
      targetFilterQuery: 'name==appr-*',
      amountGroups: 1,
    };
    return (await fixture.create(body, caller('creator', permissions))).id;
  }

  it('lists every known setting with its default, and reads one', async () => {
    expect(await fixture.configs.call('ListConfigs', {})).toEqual({
      entries: [defaultEntry(approval), defaultEntry(confirmation)],
    });
    expect(await get(confirmation)).toEqual(defaultEntry(confirmation));
  });

  const configKeyInvalid = { status: 404, errorCode: 'hawkbit.server.error.configKeyInvalid' };
  const configValueInvalid = { status: 400, errorCode: 'hawkbit.server.error.configValueInvalid' };
  const notJson = { status: 400, errorCode: 'hawkbit.server.error.rest.param.invalid' };

  it.each<[string, () => Promise<unknown>, { status: number; errorCode: string }]>([
    ['GetConfig of an unknown key', () => get('no.such.key'), configKeyInvalid],
    ['SetConfig of an unknown key', () => setJson('no.such.key', 'true'), configKeyInvalid],
    ['ResetConfig of an unknown key', () => fixture.resetConfig('no.such.key'), configKeyInvalid],
    ['a string for a boolean', () => setJson(approval, '"true"'), configValueInvalid],
    ['a number for a boolean', () => setJson(approval, '1'), configValueInvalid],
    ['null', () => setJson(approval, 'null'), configValueInvalid],
    ['a value that is not JSON', () => setJson(approval, '{'), notJson],
    ['no value', () => setJson(approval), notJson],
  ])('refuses %s with hawkBit’s status and code, changing nothing', async (_case, call, expected) => {
    expect(await refusal(call())).toEqual(expected);
    expect(await get(approval)).toEqual(defaultEntry(approval));
  });

  it('changes several settings at once, all or nothing, and answers every setting', async () => {
    expect(await refusal(setAll({ [approval]: true, 'no.such.key': true }))).toEqual(configKeyInvalid);
    expect(await refusal(setAll({ [approval]: true, [confirmation]: 'x' }))).toEqual(configValueInvalid);
    expect(await refusal(setAll({}))).toEqual({ status: 400, errorCode: 'hawkbit.server.error.rest.body.notReadable' });
    expect(await get(approval)).toEqual(defaultEntry(approval));

    const answer = await setAll({ [approval]: true, [confirmation]: true });
    expect(answer.entries).toEqual([
      expect.objectContaining({ key: approval, valueJson: 'true', global: false, lastModifiedBy: 'ops' }),
      expect.objectContaining({ key: confirmation, valueJson: 'true', global: false }),
    ]);
    expect(await get(confirmation)).toMatchObject({ valueJson: 'true' });

    for (const key of [approval, confirmation]) expect(await fixture.resetConfig(key)).toEqual({});
    expect(await get(approval)).toEqual(defaultEntry(approval));
  });

  it('with approval on, a creator lacking APPROVE_ROLLOUT waits for approval; approve and deny record who and why', async () => {
    const set = await fixture.setConfig(approval, true, caller('tenant-admin'));
    expect(set).toEqual({
      key: approval,
      valueJson: 'true',
      global: false,
      createdAt: expect.any(Number),
      createdBy: 'tenant-admin',
      lastModifiedAt: expect.any(Number),
      lastModifiedBy: 'tenant-admin',
    });
    expect(await get(approval)).toEqual(set);

    const waiting = await created(['READ_ROLLOUT', 'CREATE_ROLLOUT']);
    const denied = await created(['CREATE_ROLLOUT']);
    const approver = await created(['CREATE_ROLLOUT', 'APPROVE_ROLLOUT']);
    const everything = await created(['*']);
    await fixture.lastEventIs(waiting, 'RolloutApprovalRequested.v1');
    await fixture.lastEventIs(denied, 'RolloutApprovalRequested.v1');
    for (const id of [approver, everything]) await fixture.lastEventIs(id, 'RolloutReady.v1');
    expect((await fixture.events(waiting))[0].data.approvalRequired).toBe(true);
    expect((await fixture.events(approver))[0].data.approvalRequired).toBe(false);

    const boss = caller('boss');
    const decide = (method: 'ApproveRollout' | 'DenyRollout', rolloutId: number, remark?: string) =>
      fixture.commands.call(method, { caller: boss, rolloutId, ...(remark !== undefined ? { remark } : {}) });
    const illegal = { status: 400, errorCode: 'hawkbit.server.error.rollout.illegalstate' };
    expect(await refusal(fixture.command('StartRollout', waiting))).toEqual(illegal);
    expect(await refusal(decide('ApproveRollout', waiting, 'x'.repeat(513)))).toEqual({
      status: 400,
      errorCode: 'hawkbit.server.error.rest.param.invalid',
    });
    expect(await decide('ApproveRollout', waiting, 'looks good')).toMatchObject({ rolloutId: waiting });
    expect(await decide('DenyRollout', denied, 'not now')).toMatchObject({ rolloutId: denied });
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
      expect(await refusal(decide('ApproveRollout', id))).toEqual(illegal);
      expect(await refusal(decide('DenyRollout', id))).toEqual(illegal);
    }
    expect(await refusedWith(decide('ApproveRollout', approver))).toMatchObject({
      status: 400,
      body: { exceptionClass: 'RolloutIllegalStateException' },
    });
    expect(await fixture.command('StartRollout', waiting)).toMatchObject({ rolloutId: waiting });
    expect(await refusal(fixture.command('StartRollout', denied))).toEqual(illegal);

    // Back to the default: creation no longer asks for approval.
    expect(await fixture.resetConfig(approval)).toEqual({});
    expect(await get(approval)).toEqual(defaultEntry(approval));
    const after = await created(['CREATE_ROLLOUT']);
    await fixture.lastEventIs(after, 'RolloutReady.v1');
    expect((await fixture.events(after))[0].data.approvalRequired).toBe(false);
  });
});
