import { eventually, FleetwaveClient, RolloutView, uniqueName } from '@fleetwave/testing';

const client = new FleetwaveClient();

async function createFleet(prefix: string, succeeding: number, failing: number): Promise<void> {
  await client.registerDevices(`${prefix}-ok`, succeeding, 'succeed');
  if (failing > 0) await client.registerDevices(`${prefix}-bad`, failing, 'fail');
  await eventually(
    async () => expect(await client.countTargets(`controllerId==${prefix}-*`)).toBe(succeeding + failing),
    { timeoutMs: 60_000, description: `registration of ${prefix}` },
  );
}

describe('a rollout through every service (public APIs only)', () => {
  it('runs three groups to finished with exact per-status counts', async () => {
    const prefix = uniqueName('e2e');
    await createFleet(prefix, 27, 3);
    const distributionSetId = await client.createDistributionSet(prefix);

    const created = await client.expect<RolloutView>(201, 'POST', '/rollouts', {
      name: prefix,
      distributionSetId,
      targetFilterQuery: `controllerId==${prefix}-*`,
      amountGroups: 3,
    });
    expect(created.status).toBe('creating');
    // The set a rollout uses is locked: its modules can no longer change under the rollout.
    expect(
      await client.expect<{ locked: boolean }>(200, 'GET', `/distributionsets/${distributionSetId}`),
    ).toMatchObject({
      locked: true,
    });

    // Read-your-writes: the rollout just created is visible at once.
    expect((await client.call('GET', `/rollouts/${created.id}`)).status).toBe(200);
    await eventually(async () => expect((await client.rollout(created.id)).status).toBe('ready'), {
      timeoutMs: 30_000,
      description: 'rollout ready',
    });

    await client.expect(204, 'POST', `/rollouts/${created.id}/start`);
    const finished = await eventually(
      async () => {
        const view = await client.rollout(created.id);
        expect(view.status).toBe('finished');
        expect(view.totalTargetsPerStatus.finished + view.totalTargetsPerStatus.error).toBe(30);
        return view;
      },
      { timeoutMs: 120_000, intervalMs: 250, description: 'rollout finished' },
    );
    expect(finished.totalTargets).toBe(30);
    expect(finished.totalTargetsPerStatus).toEqual({
      running: 0,
      notstarted: 0,
      scheduled: 0,
      cancelled: 0,
      finished: 27,
      error: 3,
    });

    const groups = await client.expect<{ content: { status: string; totalTargets: number }[]; total: number }>(
      200,
      'GET',
      `/rollouts/${created.id}/deploygroups`,
    );
    expect(groups.total).toBe(3);
    expect(groups.content.map((g) => g.totalTargets)).toEqual([10, 10, 10]);
    expect(groups.content.every((g) => g.status === 'finished')).toBe(true);
  });

  it('refuses what hawkBit refuses: no credentials, a bad filter, no matching target, amountGroups with groups', async () => {
    const anonymous = await fetch(`${client.gatewayUrl}/rest/v1/rollouts`);
    expect(anonymous.status).toBe(401);

    const prefix = uniqueName('e2e');
    const distributionSetId = await client.createDistributionSet(prefix);
    const badFilter = await client.call<{ errorCode: string }>('POST', '/rollouts', {
      name: `${prefix}-bad`,
      distributionSetId,
      targetFilterQuery: 'controllerId==(',
      amountGroups: 2,
    });
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.errorCode).toBe('hawkbit.server.error.rest.param.rsqlParamSyntax');
    const unknownField = await client.call<{ errorCode: string; exceptionClass: string }>('POST', '/rollouts', {
      name: `${prefix}-unknown-field`,
      distributionSetId,
      targetFilterQuery: 'colour==red',
      amountGroups: 2,
    });
    expect([unknownField.status, unknownField.body.exceptionClass, unknownField.body.errorCode]).toEqual([
      400,
      'RSQLParameterUnsupportedFieldException',
      'hawkbit.server.error.rest.param.rsqlInvalidField',
    ]);

    const none = await client.call('POST', '/rollouts', {
      name: `${prefix}-none`,
      distributionSetId,
      targetFilterQuery: `controllerId==${prefix}-nobody-*`,
      amountGroups: 2,
    });
    expect(none.status).toBe(400);

    const both = await client.call('POST', '/rollouts', {
      name: `${prefix}-both`,
      distributionSetId,
      targetFilterQuery: 'controllerId==*',
      amountGroups: 2,
      groups: [{ name: 'g1', targetPercentage: 100 }],
    });
    expect(both.status).toBe(400);
  });
});
