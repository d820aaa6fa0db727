import type { RolloutCreatedV1, RolloutGroupAddedV1, RolloutReadyV1 } from '@fleetwave/contracts';
import { eventually, refusalOf as refusal, uniqueName } from '@fleetwave/testing';
import { INVENTORY_SCHEMA } from '../inventory/inventory.migration';
import { DynamicIntakeWorker, notifyTargetsAdded } from './processes/dynamic-intake.worker';
import { caller, refusedWith, RolloutCommandsFixture } from './testing/rollout-commands.fixture';

/**
 * Dynamic rollouts through rollout-command's internal gRPC API (Postgres; the creation and intake
 * workers running as in the service): the command's refusals with hawkBit's statuses, the events
 * of a dynamic creation, targets taken in after start (woken by the new-target notification), and
 * a group's targets read from the membership table (`Targets.ListGroupTargets`). Quotas: 5
 * groups, 30 targets per group.
 */
describe('dynamic rollouts over gRPC (Postgres)', () => {
  const fixture = new RolloutCommandsFixture();
  const command = (method: string, rolloutId: number) => fixture.command(method, rolloutId);
  /** A page of one group's targets, `page` as the internal `ListQuery`. */
  const groupTargets = (rolloutId: number, groupId: number, page: Record<string, unknown> = {}) =>
    fixture.client('targets').call('ListGroupTargets', { rolloutId, groupId, page }) as Promise<{
      content: { controllerId: string }[];
      total: number;
    }>;
  const members = async (rolloutId: number, groupId: number, page?: Record<string, unknown>) =>
    (await groupTargets(rolloutId, groupId, page)).content.map((t) => t.controllerId);

  beforeAll(() => fixture.start({ prefix: 'dh', count: 4 }, { maxGroupsPerRollout: 5, maxTargetsPerGroup: 30 }));
  afterAll(() => fixture.stop());

  const body = (change: Record<string, unknown> = {}) => ({
    name: uniqueName('dyn'),
    distributionSetId: fixture.distributionSetId,
    targetFilterQuery: 'name==dh-*',
    amountGroups: 1,
    dynamic: true,
    dynamicGroupTemplate: { nameSuffix: 'wave', targetCount: 2 },
    ...change,
  });

  /** Inserts targets `<prefix>-<i>` and tells the intake, as the create endpoint and THING_CREATED do. */
  async function addTargets(prefix: string, from: number, count: number): Promise<void> {
    await fixture.pool.query(
      `insert into ${INVENTORY_SCHEMA}.targets (controller_id, name)
       select $1 || '-' || g, $1 || '-' || g from generate_series($2::int, $2::int + $3::int - 1) g`,
      [prefix, from, count],
    );
    await notifyTargetsAdded(fixture.pool, INVENTORY_SCHEMA);
  }

  it.each([
    ['without a template', { dynamicGroupTemplate: undefined }, 400, 'a dynamic rollout needs a dynamicGroupTemplate'],
    ['with a targetCount above the quota', { dynamicGroupTemplate: { targetCount: 31 } }, 429, 'The maximum is 30'],
    ['with more groups than the quota', { amountGroups: 5 }, 429, 'Cannot assign 6 more RolloutGroup'],
  ])('refuses a dynamic rollout %s (%j) with %i', async (_case, change, status, message) => {
    const refused = await refusedWith(fixture.create(body(change)));
    expect(refused?.status).toBe(status);
    expect(refused?.body.message).toContain(message);
  });

  it('accepts a dynamic rollout no target matches yet (a static one is refused)', async () => {
    const dynamic = await fixture.create(body({ targetFilterQuery: 'name==nobody-*' }));
    expect(dynamic).toMatchObject({ status: 'creating', totalTargets: 0, dynamic: true });
    await fixture.lastEventIs(dynamic.id, 'RolloutReady.v1');
    const stat = fixture.create(body({ targetFilterQuery: 'name==nobody-*', dynamic: false }));
    expect(await refusedWith(stat)).toMatchObject({ status: 400 });
  });

  it('creates the first dynamic group last, takes targets created after start, and lists each group from the membership table', async () => {
    const { id } = await fixture.create(body({ name: uniqueName('dyn-flow') }));
    await fixture.lastEventIs(id, 'RolloutReady.v1');
    const [createdEvent, readyEvent] = await fixture.events(id);
    const created = createdEvent.data as unknown as RolloutCreatedV1;
    expect(created.dynamic).toEqual({ nameSuffix: 'wave', targetCount: 2 });
    expect(created.groups.map((g) => [g.index, g.name, g.dynamic])).toEqual([
      [1, 'group-1', undefined],
      [2, 'wave-1', { capacity: 2 }],
    ]);
    const [staticGroup, dynamicGroup] = created.groups;
    expect(dynamicGroup).toMatchObject({
      targetFilterQuery: 'name==dh-*',
      successCondition: staticGroup.successCondition,
      errorCondition: staticGroup.errorCondition,
    });
    expect((readyEvent.data as unknown as RolloutReadyV1).groups).toEqual([
      { groupId: staticGroup.groupId, totalTargets: 4 },
      { groupId: dynamicGroup.groupId, totalTargets: 0 },
    ]);

    await command('StartRollout', id);
    // Through the target create command, which wakes the intake once its insert commits.
    await fixture.client('targets').call('CreateTargets', {
      caller: caller('op'),
      targets: ['dh-5', 'dh-6', 'dh-7'].map((controllerId) => ({ controllerId })),
    });
    await fixture.lastEventIs(id, 'RolloutGroupAdded.v1');
    const added = (await fixture.events(id)).at(-1)?.data as unknown as RolloutGroupAddedV1;
    expect(added.group).toMatchObject({ index: 3, name: 'wave-2', dynamic: { capacity: 2 } });

    const staticTargets = await groupTargets(id, staticGroup.groupId, { sort: 'name:ASC' });
    expect(staticTargets.total).toBe(4);
    expect(staticTargets.content.map((t) => t.controllerId)).toEqual(['dh-1', 'dh-2', 'dh-3', 'dh-4']);
    expect(staticTargets.content[0]).toMatchObject({
      controllerId: 'dh-1',
      name: 'dh-1',
      updateStatus: 'registered',
      audit: { createdAt: expect.any(Number) },
    });

    expect(await members(id, dynamicGroup.groupId, { sort: 'id:DESC' })).toEqual(['dh-6', 'dh-5']);
    await eventually(async () => expect(await members(id, added.group.groupId)).toEqual(['dh-7']));

    // q and paging as on the target list.
    expect(await members(id, staticGroup.groupId, { q: 'name==dh-3' })).toEqual(['dh-3']);
    const paged = await groupTargets(id, staticGroup.groupId, { offset: 1, limit: 2, sort: 'name:ASC' });
    expect(paged.total).toBe(4);
    expect(paged.content.map((t) => t.controllerId)).toEqual(['dh-2', 'dh-3']);

    // While paused no target joins; after resume the waiting one does.
    await command('PauseRollout', id);
    await addTargets('dh', 8, 1);
    // A pass of our own (the service's loop may hold the rollout for a moment: then try again).
    const intake = fixture.app.get(DynamicIntakeWorker);
    await eventually(async () => {
      const outcome = (await intake.runPass()).find((o) => o.rolloutId === id);
      expect(outcome).toMatchObject({ outcome: 'waiting', taken: 0 });
    });
    expect((await groupTargets(id, added.group.groupId)).total).toBe(1);
    await command('ResumeRollout', id);
    await eventually(async () =>
      expect(await members(id, added.group.groupId, { sort: 'name:ASC' })).toEqual(['dh-7', 'dh-8']),
    );
  });

  it('takes every matching target, older ones too, into a rollout of dynamic groups alone', async () => {
    await addTargets('solo', 1, 3);
    const answer = await fixture.create(body({ targetFilterQuery: 'name==solo-*', amountGroups: undefined }));
    expect(answer.totalTargets).toBe(0);
    const id = answer.id;
    await fixture.lastEventIs(id, 'RolloutReady.v1');
    const [createdEvent] = await fixture.events(id);
    const [only] = (createdEvent.data as unknown as RolloutCreatedV1).groups;
    expect(only).toMatchObject({ index: 1, name: 'wave-1', dynamic: { capacity: 2 } });
    await command('StartRollout', id);
    await eventually(async () =>
      expect(await members(id, only.groupId, { sort: 'name:ASC' })).toEqual(['solo-1', 'solo-2']),
    );
    await fixture.lastEventIs(id, 'RolloutGroupAdded.v1');
  });

  it('answers 404 for a group of another rollout, an unknown or removed rollout, and a bad q or sort with 400', async () => {
    const { id } = await fixture.create(body({ dynamic: false, dynamicGroupTemplate: undefined }));
    await fixture.lastEventIs(id, 'RolloutReady.v1');
    const [created] = await fixture.events(id);
    const groupId = (created.data as unknown as RolloutCreatedV1).groups[0].groupId;
    // Every dh-* target there is by now (the earlier test added four).
    expect((await groupTargets(id, groupId)).total).toBe(8);
    expect(await refusal(groupTargets(id, groupId + 1000))).toMatchObject({ status: 404 });
    expect(await refusal(groupTargets(id + 1000, groupId))).toMatchObject({ status: 404 });
    expect(await refusal(groupTargets(id, groupId, { q: 'name==' }))).toMatchObject({ status: 400 });
    expect(await refusal(groupTargets(id, groupId, { sort: 'nope:ASC' }))).toMatchObject({ status: 400 });

    // Removed before it ever started: its members are forgotten with it.
    await command('DeleteRollout', id);
    expect(await refusal(groupTargets(id, groupId))).toMatchObject({ status: 404 });
    const { rows } = await fixture.pool.query(
      `select 1 from ${INVENTORY_SCHEMA}.rollout_members where rollout_id = $1`,
      [id],
    );
    expect(rows).toEqual([]);
  });
});
