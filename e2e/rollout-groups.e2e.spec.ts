import { eventually, RolloutView, runScript, uniqueName } from '@fleetwave/testing';
import { admin, createReadyRollout, fleet, untilGroups, untilStatus } from './testing/rollout-steps';

/** Creation as hawkBit clients send it: explicit groups, the validation codes, a start time. */

interface ErrorBody {
  errorCode: string;
  message: string;
}

const groupSizes = async (id: number): Promise<number[]> => (await admin.deployGroups(id)).map((g) => g.totalTargets);

describe('rollout creation', () => {
  it('fills explicit groups in order: a filtered first group, then percentages of the rest', async () => {
    const prefix = uniqueName('explicit');
    // Run 0 are the lab devices the first group's filter picks; run 1 the field devices.
    await fleet(prefix, ['succeed', 5], ['succeed', 20]);
    const id = await createReadyRollout(prefix, {
      groups: [
        { name: 'lab', targetFilterQuery: `controllerId==${prefix}-0*`, targetPercentage: 100 },
        { name: 'pilot', targetPercentage: 20 },
        { name: 'field', targetPercentage: 100 },
      ],
    });
    expect(await groupSizes(id)).toEqual([5, 4, 16]);
    expect((await admin.deployGroups(id)).map((g) => g.name)).toEqual(['lab', 'pilot', 'field']);

    // Targets registered after creation are not in the rollout.
    await admin.registerDevices(`${prefix}-late`, 3);
    await eventually(async () => expect(await admin.countTargets(`controllerId==${prefix}-*`)).toBe(28), {
      timeoutMs: 60_000,
      description: 'late devices registered',
    });
    await admin.expect(204, 'POST', `/rollouts/${id}/start`);
    const finished = await untilStatus(id, 'finished', 90_000);
    expect(finished.totalTargets).toBe(25);
    expect(finished.totalTargetsPerStatus.finished).toBe(25);
    await untilGroups(id, ['finished', 'finished', 'finished']);
  });

  it('refuses groups that leave matching targets uncovered, and every invalid body with hawkBit’s status', async () => {
    const prefix = uniqueName('invalid');
    await fleet(prefix, ['succeed', 10]);
    const distributionSetId = await admin.createDistributionSet(prefix);
    const body = (fields: Record<string, unknown>) => ({
      name: `${prefix}-${Object.keys(fields).join('-') || 'base'}`,
      distributionSetId,
      targetFilterQuery: `controllerId==${prefix}-*`,
      amountGroups: 2,
      ...fields,
    });
    const refused = async (status: number, fields: Record<string, unknown>) => {
      const response = await admin.call<ErrorBody>('POST', '/rollouts', body(fields));
      expect({ fields, status: response.status }).toEqual({ fields, status });
      return response.body;
    };

    const uncovered = await refused(400, {
      amountGroups: undefined,
      groups: [
        { name: 'a', targetPercentage: 20 },
        { name: 'b', targetPercentage: 80 },
      ],
    });
    expect(uncovered.message).toMatch(/target/i);
    await refused(400, { groups: [{ name: 'a', targetPercentage: 100 }] });
    await refused(400, { amountGroups: undefined, groups: [{ name: 'a', targetPercentage: 0 }] });
    await refused(400, { amountGroups: undefined, groups: [{ name: 'a', targetPercentage: 101 }] });
    await refused(400, { weight: 1001 });
    await refused(400, { successCondition: { condition: 'THRESHOLD', expression: 101 } });
    await refused(400, { errorCondition: { condition: 'THRESHOLD', expression: -1 } });
    await refused(404, { distributionSetId: 987_654_321 });
    await refused(400, { targetFilterQuery: `controllerId==${prefix}-nobody-*` });

    await admin.expect(201, 'POST', '/rollouts', body({}));
    const duplicate = await admin.call<ErrorBody>('POST', '/rollouts', body({}));
    expect(duplicate.status).toBe(409);
  });

  it('splits 3 targets over 5 groups as 1, 1, 0, 1, 0, and runs the empty groups through', async () => {
    const prefix = uniqueName('split');
    await fleet(prefix, ['succeed', 3]);
    const id = await createReadyRollout(prefix, { amountGroups: 5 });
    expect(await groupSizes(id)).toEqual([1, 1, 0, 1, 0]);
    await admin.expect(204, 'POST', `/rollouts/${id}/start`);
    expect((await untilStatus(id, 'finished')).totalTargetsPerStatus.finished).toBe(3);
    await untilGroups(id, ['finished', 'finished', 'finished', 'finished', 'finished']);
  });

  it('starts by itself when startAt passes, though rollout-command restarted in between', async () => {
    const prefix = uniqueName('start-at');
    await fleet(prefix, ['succeed', 3]);
    const startAt = Date.now() + 4_000;
    const id = await createReadyRollout(prefix, { amountGroups: 1, startAt });
    expect((await admin.rollout(id)).status).toBe('ready');
    // The timer is the rollout's own fact, not a process's: a restart before it is due keeps it.
    await runScript('cluster', ['restart', 'rollout-command']);
    const finished = await untilStatus(id, 'finished', 60_000);
    expect(finished.totalTargetsPerStatus.finished).toBe(3);
  });
});

describe('retry', () => {
  it('retries a finished rollout over the targets that failed, in one group', async () => {
    const prefix = uniqueName('retry');
    await fleet(prefix, ['fail', 2], ['succeed', 3]);
    const id = await createReadyRollout(prefix, {
      amountGroups: 1,
      errorCondition: { condition: 'THRESHOLD', expression: 100 },
    });
    expect((await admin.call('POST', `/rollouts/${id}/retry`)).status).toBe(400);
    await admin.expect(204, 'POST', `/rollouts/${id}/start`);
    await untilStatus(id, 'finished', 60_000);

    const retry = await admin.expect<RolloutView>(201, 'POST', `/rollouts/${id}/retry`);
    expect(retry.name).toBe(`${prefix}_retry`);
    const ready = await untilStatus(retry.id, 'ready');
    expect(ready.totalTargets).toBe(2);
    expect(await groupSizes(retry.id)).toEqual([2]);
  });
});

describe('one device, several rollouts', () => {
  it('lets a newer rollout cancel what an older one has scheduled or running on the same devices', async () => {
    const prefix = uniqueName('takeover');
    await fleet(prefix, ['hold', 4]);
    const older = await createReadyRollout(prefix, { amountGroups: 2 }, { name: `${prefix}-old` });
    await admin.expect(204, 'POST', `/rollouts/${older}/start`);
    await untilGroups(older, ['running', 'scheduled']);

    const newer = await createReadyRollout(prefix, { amountGroups: 1 }, { name: `${prefix}-new` });
    await admin.expect(204, 'POST', `/rollouts/${newer}/start`);
    // Scheduled actions of the older rollout are cancelled; its running ones are cancelled on
    // the devices, which confirm.
    await eventually(
      async () =>
        expect((await admin.rollout(older)).totalTargetsPerStatus).toMatchObject({ cancelled: 4, running: 0 }),
      { timeoutMs: 60_000, description: 'older rollout cancelled on every device' },
    );
    await eventually(
      async () => expect((await admin.rollout(newer)).totalTargetsPerStatus).toMatchObject({ running: 4 }),
      { timeoutMs: 60_000, description: 'newer rollout running on every device' },
    );
    await admin.expect(204, 'POST', `/rollouts/${newer}/stop`);
    await untilStatus(newer, 'stopped');
  });

  it('closes an action at once when the device already has the distribution set', async () => {
    const prefix = uniqueName('same-set');
    await fleet(prefix, ['succeed', 3]);
    const distributionSetId = await admin.createDistributionSet(prefix);
    const create = async (name: string): Promise<number> => {
      const created = await admin.expect<RolloutView>(201, 'POST', '/rollouts', {
        name,
        distributionSetId,
        targetFilterQuery: `controllerId==${prefix}-*`,
        amountGroups: 1,
      });
      await untilStatus(created.id, 'ready');
      return created.id;
    };
    const first = await create(`${prefix}-first`);
    await admin.expect(204, 'POST', `/rollouts/${first}/start`);
    await untilStatus(first, 'finished', 60_000);

    const again = await create(`${prefix}-again`);
    await admin.expect(204, 'POST', `/rollouts/${again}/start`);
    const finished = await untilStatus(again, 'finished', 60_000);
    expect(finished.totalTargetsPerStatus).toMatchObject({ finished: 3, error: 0, cancelled: 0 });
  });
});
