import type { RolloutCreatedV1, RolloutGroupMembersAssignedV1, RolloutReadyV1 } from '@fleetwave/contracts';
import { uniqueName } from '@fleetwave/testing';
import { membershipStream } from './rollout.repository';
import { refusedWith, RolloutCommandsFixture } from './testing/rollout-commands.fixture';

/**
 * Rollout creation through `CreateRollout` of rollout-command's internal gRPC API (Postgres, the
 * creation worker running), bodies validated as the gateway validates them: explicit groups and
 * how they split the targets, and every refusal the command decides, with hawkBit's status and
 * body (the gateway's own validation of the body is its DTO's unit spec). Quotas are set low
 * (5 groups, 30 targets per group) to reach them.
 */
describe('rollout creation over gRPC (Postgres)', () => {
  const fixture = new RolloutCommandsFixture();
  const create = (change: Record<string, unknown>) => fixture.create(body(change));
  const canary = [3, 8, 13, 18, 23].map((i) => `eg-${i}`);

  beforeAll(async () => {
    await fixture.start({ prefix: 'eg', count: 25 }, { maxGroupsPerRollout: 5, maxTargetsPerGroup: 30 });
    await fixture.pool.query(
      `update rollout_command.targets set attributes = '{"ring":"canary"}' where controller_id = any($1::text[])`,
      [canary],
    );
    await fixture.pool.query(
      `insert into rollout_command.targets (controller_id, name, created_at)
       select 'big-' || i, 'big-' || i, now() - interval '1 minute' from generate_series(1, 40) as i`,
    );
  });
  afterAll(() => fixture.stop());

  const body = (change: Record<string, unknown> = {}) => ({
    name: uniqueName('r'),
    distributionSetId: fixture.distributionSetId,
    targetFilterQuery: 'name==eg-*',
    ...change,
  });

  /** Creates, waits until ready and returns the members of each group (controller ids) and the events. */
  async function createReady(change: Record<string, unknown>) {
    const answer = await create(change);
    const id = answer.id;
    await fixture.lastEventIs(id, 'RolloutReady.v1');
    const events = await fixture.events(id);
    const created = events[0].data as unknown as RolloutCreatedV1;
    const ready = events[1].data as unknown as RolloutReadyV1;
    const membership = await fixture.store.readStream(membershipStream(id));
    const members = created.groups.map((g) =>
      membership
        .map((e) => e.data as RolloutGroupMembersAssignedV1)
        .filter((chunk) => chunk.groupId === g.groupId)
        .flatMap((chunk) => chunk.members.map((m) => m.controllerId)),
    );
    return { answer, created, ready, members };
  }

  const ids = (...n: number[]) => n.map((i) => `eg-${i}`);

  it('fills explicit groups in order: a filtered first group at 100%, then 20% and 80% of the rest', async () => {
    const { answer, created, ready, members } = await createReady({
      errorCondition: { condition: 'THRESHOLD', expression: 30 },
      groups: [
        { name: 'canary', targetFilterQuery: 'attribute.ring==canary', targetPercentage: 100 },
        { name: 'early', description: 'first fifth', targetPercentage: 20, confirmationRequired: true },
        { name: 'rest', errorCondition: { condition: 'ERROR_COUNT', expression: 2 } },
      ],
    });

    expect(answer).toMatchObject({ status: 'creating', totalTargets: 25 });
    expect(members[0]).toEqual(canary);
    // 20% of the 20 left, lowest ids first; the last group takes the other 16 (80% of the rest).
    expect(members[1]).toEqual(ids(1, 2, 4, 5));
    expect(members[2]).toEqual(ids(6, 7, 9, 10, 11, 12, 14, 15, 16, 17, 19, 20, 21, 22, 24, 25));
    expect(ready).toMatchObject({ totalTargets: 25 });
    expect(ready.groups.map((g) => g.totalTargets)).toEqual([5, 4, 16]);

    // Each group keeps its own fields and falls back on the rollout's for the rest.
    expect(created.groups.map(({ groupId: _id, ...g }) => g)).toEqual([
      {
        index: 1,
        name: 'canary',
        targetFilterQuery: 'attribute.ring==canary',
        targetPercentage: 100,
        confirmationRequired: false,
        successCondition: { condition: 'THRESHOLD', expression: 50 },
        successAction: { action: 'NEXTGROUP' },
        errorCondition: { condition: 'THRESHOLD', expression: 30 },
        errorAction: { action: 'PAUSE' },
      },
      {
        index: 2,
        name: 'early',
        description: 'first fifth',
        targetPercentage: 20,
        confirmationRequired: true,
        successCondition: { condition: 'THRESHOLD', expression: 50 },
        successAction: { action: 'NEXTGROUP' },
        errorCondition: { condition: 'THRESHOLD', expression: 30 },
        errorAction: { action: 'PAUSE' },
      },
      {
        index: 3,
        name: 'rest',
        targetPercentage: 100,
        confirmationRequired: false,
        successCondition: { condition: 'THRESHOLD', expression: 50 },
        successAction: { action: 'NEXTGROUP' },
        errorCondition: { condition: 'ERROR_COUNT', expression: 2 },
        errorAction: { action: 'PAUSE' },
      },
    ]);
  });

  it('gives a target matching two group filters to the first group only', async () => {
    const { members, ready } = await createReady({
      groups: [
        { name: 'canary', targetFilterQuery: 'attribute.ring==canary' },
        { name: 'tens', targetFilterQuery: 'name==eg-1*' },
        { name: 'rest', targetFilterQuery: ' ' },
      ],
    });

    expect(members[0]).toEqual(canary);
    // eg-13 and eg-18 match both filters and stay in the first group.
    expect(members[1]).toEqual(ids(1, 10, 11, 12, 14, 15, 16, 17, 19));
    expect(members[2]).toEqual(ids(2, 4, 5, 6, 7, 9, 20, 21, 22, 24, 25));
    expect(new Set(members.flat()).size).toBe(25);
    expect(ready.groups.map((g) => g.totalTargets)).toEqual([5, 9, 11]);
  });

  const verificationFailed = {
    exceptionClass: 'RolloutVerificationException',
    errorCode: 'hawkbit.server.error.rollout.verificationFailed',
    message: expect.any(String),
  };

  it.each([
    [
      '20% then 80% of what is left (3 targets over)',
      [
        { name: 'a', targetPercentage: 20 },
        { name: 'b', targetPercentage: 80 },
      ],
    ],
    ['only a filtered group', [{ name: 'canary', targetFilterQuery: 'attribute.ring==canary' }]],
  ])('refuses groups that leave targets in no group: %s', async (_case, groups) => {
    const name = uniqueName('uncovered');
    const refused = await refusedWith(create({ name, groups }));
    expect(refused).toEqual({ status: 400, body: verificationFailed });
    expect(refused?.body.message).toMatch(/don't match all targets/);
    // Nothing was recorded: the name is still free.
    expect(await create({ name, amountGroups: 1 })).toMatchObject({ name });
  });

  const quota = (message: string) => ({
    exceptionClass: 'AssignmentQuotaExceededException',
    errorCode: 'hawkbit.server.error.quota.tooManyEntries',
    message,
  });

  it.each<[string, Record<string, unknown>, number, unknown]>([
    ['both amountGroups and groups', { amountGroups: 2, groups: [{ name: 'g' }] }, 400, verificationFailed],
    ['neither amountGroups nor groups', {}, 400, verificationFailed],
    ['a filter matching no target', { targetFilterQuery: 'name==nothing-*', amountGroups: 1 }, 400, verificationFailed],
    [
      'a malformed group filter',
      { groups: [{ name: 'g', targetFilterQuery: 'name==' }] },
      400,
      expect.objectContaining({ errorCode: 'hawkbit.server.error.rest.param.rsqlParamSyntax' }),
    ],
    [
      'an unknown distribution set',
      { amountGroups: 1, distributionSetId: 987_654 },
      404,
      expect.objectContaining({ errorCode: 'hawkbit.server.error.repo.entitiyNotFound' }),
    ],
    [
      '6 groups where the quota is 5',
      { groups: Array.from({ length: 6 }, (_, i) => ({ name: `g${i}`, targetPercentage: 50 })) },
      429,
      { ...quota(''), message: expect.stringMatching(/^Quota exceeded: Cannot assign 6 more RolloutGroup entities/) },
    ],
    [
      'amountGroups 6 where the quota is 5',
      { amountGroups: 6 },
      429,
      { ...quota(''), message: expect.stringMatching(/The maximum is 5\.$/) },
    ],
    [
      '40 targets in one group where the quota is 30',
      { targetFilterQuery: 'name==big-*', amountGroups: 1 },
      429,
      quota("Quota exceeded: Cannot assign 40 more Target entities to RolloutGroup 'group-1'. The maximum is 30."),
    ],
    [
      'an explicit group of 32 targets where the quota is 30',
      { targetFilterQuery: 'name==big-*', groups: [{ name: 'most', targetPercentage: 80 }, { name: 'tail' }] },
      429,
      quota("Quota exceeded: Cannot assign 32 more Target entities to RolloutGroup 'most'. The maximum is 30."),
    ],
  ])('refuses %s with its status and body', async (_case, change, status, expected) => {
    expect(await refusedWith(create(change))).toEqual({ status, body: expected });
  });

  it('refuses a distribution set without modules (incomplete) with 400', async () => {
    const empty = await fixture.createDistributionSet('empty', false);
    expect(await refusedWith(create({ amountGroups: 1, distributionSetId: empty }))).toEqual({
      status: 400,
      body: {
        exceptionClass: 'IncompleteDistributionSetException',
        errorCode: 'hawkbit.server.error.distributionset.incomplete',
        message: expect.any(String),
      },
    });
  });

  it('refuses a second rollout of the same name with 409', async () => {
    const name = uniqueName('twice');
    await create({ name, amountGroups: 1 });
    expect(await refusedWith(create({ name, groups: [{ name: 'all' }] }))).toEqual({
      status: 409,
      body: expect.objectContaining({ errorCode: 'hawkbit.server.error.repo.entitiyAlreayExists' }),
    });
  });
});
