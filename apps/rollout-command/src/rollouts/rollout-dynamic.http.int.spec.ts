import type { RolloutCreatedV1, RolloutGroupAddedV1, RolloutReadyV1 } from '@fleetwave/contracts';
import { eventually, uniqueName } from '@fleetwave/testing';
import { INVENTORY_SCHEMA } from '../inventory/inventory.migration';
import { DynamicIntakeWorker, notifyTargetsAdded } from './processes/dynamic-intake.worker';
import { RolloutHttpFixture } from './testing/rollout-http.fixture';
import { CreateTargetsController } from '../targets/commands/create-targets/create-targets.controller';
import { CreateTargetDto } from '../targets/commands/create-targets/create-targets.dto';

/**
 * Dynamic rollouts through rollout-command's HTTP endpoints (Postgres; the creation and intake
 * workers running as in the service): validation with hawkBit's statuses, the events of a
 * dynamic creation, targets taken in after start (woken by the new-target notification), and a
 * group's targets read from the membership table. Quotas: 5 groups, 30 targets per group.
 */
describe('dynamic rollouts over HTTP (Postgres)', () => {
  const fixture = new RolloutHttpFixture();
  const send = fixture.send.bind(fixture);

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
    ['with a targetCount of 0', { dynamicGroupTemplate: { targetCount: 0 } }, 400, 'targetCount must be an integer'],
    ['with a targetCount above the quota', { dynamicGroupTemplate: { targetCount: 31 } }, 429, 'The maximum is 30'],
    ['with more groups than the quota', { amountGroups: 5 }, 429, 'Cannot assign 6 more RolloutGroup'],
  ])('refuses a dynamic rollout %s (%j) with %i', async (_case, change, status, message) => {
    const answer = await send('POST', '/rollouts', body(change));
    expect(answer.status).toBe(status);
    expect(answer.body.message).toContain(message);
  });

  it('accepts a dynamic rollout no target matches yet (a static one is refused)', async () => {
    const dynamic = await send('POST', '/rollouts', body({ targetFilterQuery: 'name==nobody-*' }));
    expect(dynamic.status).toBe(201);
    expect(dynamic.body).toMatchObject({ status: 'creating', totalTargets: 0, dynamic: true });
    await fixture.lastEventIs(dynamic.body.id, 'RolloutReady.v1');
    const stat = await send('POST', '/rollouts', body({ targetFilterQuery: 'name==nobody-*', dynamic: false }));
    expect(stat.status).toBe(400);
  });

  it('creates the first dynamic group last, takes targets created after start, and lists each group from the membership table', async () => {
    const answer = await send('POST', '/rollouts', body({ name: uniqueName('dyn-flow') }));
    expect(answer.status).toBe(201);
    const id: number = answer.body.id;
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

    expect((await send('POST', `/rollouts/${id}/start`)).status).toBe(204);
    // Through the target create endpoint's handler, which wakes the intake once its insert commits.
    await new CreateTargetsController(fixture.pool).create(
      ['dh-5', 'dh-6', 'dh-7'].map((controllerId) => Object.assign(new CreateTargetDto(), { controllerId })),
      'op',
    );
    await fixture.lastEventIs(id, 'RolloutGroupAdded.v1');
    const added = (await fixture.events(id)).at(-1)?.data as unknown as RolloutGroupAddedV1;
    expect(added.group).toMatchObject({ index: 3, name: 'wave-2', dynamic: { capacity: 2 } });

    const staticTargets = await send(
      'GET',
      `/rollouts/${id}/deploygroups/${staticGroup.groupId}/targets?sort=name:ASC`,
    );
    expect(staticTargets.status).toBe(200);
    expect(staticTargets.body).toMatchObject({ total: 4, size: 4 });
    expect(staticTargets.body.content.map((t: { controllerId: string }) => t.controllerId)).toEqual([
      'dh-1',
      'dh-2',
      'dh-3',
      'dh-4',
    ]);
    expect(staticTargets.body.content[0]).toMatchObject({
      controllerId: 'dh-1',
      name: 'dh-1',
      updateStatus: 'registered',
      createdAt: expect.any(Number),
      _links: { self: { href: '/rest/v1/targets/dh-1' } },
    });

    const dynamicTargets = await send(
      'GET',
      `/rollouts/${id}/deploygroups/${dynamicGroup.groupId}/targets?sort=id:DESC`,
    );
    expect(dynamicTargets.body.content.map((t: { controllerId: string }) => t.controllerId)).toEqual(['dh-6', 'dh-5']);
    await eventually(async () => {
      const next = await send('GET', `/rollouts/${id}/deploygroups/${added.group.groupId}/targets`);
      expect(next.body.content.map((t: { controllerId: string }) => t.controllerId)).toEqual(['dh-7']);
    });

    // q and paging as on the target list.
    const filtered = await send('GET', `/rollouts/${id}/deploygroups/${staticGroup.groupId}/targets?q=name==dh-3`);
    expect(filtered.body.content.map((t: { controllerId: string }) => t.controllerId)).toEqual(['dh-3']);
    const paged = await send(
      'GET',
      `/rollouts/${id}/deploygroups/${staticGroup.groupId}/targets?offset=1&limit=2&sort=name:ASC`,
    );
    expect(paged.body).toMatchObject({ total: 4, size: 2 });
    expect(paged.body.content.map((t: { controllerId: string }) => t.controllerId)).toEqual(['dh-2', 'dh-3']);

    // While paused no target joins; after resume the waiting one does.
    expect((await send('POST', `/rollouts/${id}/pause`)).status).toBe(204);
    await addTargets('dh', 8, 1);
    // A pass of our own (the service's loop may hold the rollout for a moment: then try again).
    const intake = fixture.app.get(DynamicIntakeWorker);
    await eventually(async () => {
      const outcome = (await intake.runPass()).find((o) => o.rolloutId === id);
      expect(outcome).toMatchObject({ outcome: 'waiting', taken: 0 });
    });
    const whilePaused = await send('GET', `/rollouts/${id}/deploygroups/${added.group.groupId}/targets`);
    expect(whilePaused.body.total).toBe(1);
    expect((await send('POST', `/rollouts/${id}/resume`)).status).toBe(204);
    await eventually(async () => {
      const after = await send('GET', `/rollouts/${id}/deploygroups/${added.group.groupId}/targets?sort=name:ASC`);
      expect(after.body.content.map((t: { controllerId: string }) => t.controllerId)).toEqual(['dh-7', 'dh-8']);
    });
  });

  it('takes every matching target, older ones too, into a rollout of dynamic groups alone', async () => {
    await addTargets('solo', 1, 3);
    const answer = await send(
      'POST',
      '/rollouts',
      body({ targetFilterQuery: 'name==solo-*', amountGroups: undefined }),
    );
    expect(answer.status).toBe(201);
    expect(answer.body.totalTargets).toBe(0);
    const id: number = answer.body.id;
    await fixture.lastEventIs(id, 'RolloutReady.v1');
    const [createdEvent] = await fixture.events(id);
    const [only] = (createdEvent.data as unknown as RolloutCreatedV1).groups;
    expect(only).toMatchObject({ index: 1, name: 'wave-1', dynamic: { capacity: 2 } });
    expect((await send('POST', `/rollouts/${id}/start`)).status).toBe(204);
    await eventually(async () => {
      const first = await send('GET', `/rollouts/${id}/deploygroups/${only.groupId}/targets?sort=name:ASC`);
      expect(first.body.content.map((t: { controllerId: string }) => t.controllerId)).toEqual(['solo-1', 'solo-2']);
    });
    await fixture.lastEventIs(id, 'RolloutGroupAdded.v1');
  });

  it('answers 404 for a group of another rollout, an unknown or removed rollout, and a bad q or sort with 400', async () => {
    const answer = await send('POST', '/rollouts', body({ dynamic: false, dynamicGroupTemplate: undefined }));
    const id: number = answer.body.id;
    await fixture.lastEventIs(id, 'RolloutReady.v1');
    const [created] = await fixture.events(id);
    const groupId = (created.data as unknown as RolloutCreatedV1).groups[0].groupId;
    // Every dh-* target there is by now (the earlier test added four).
    expect((await send('GET', `/rollouts/${id}/deploygroups/${groupId}/targets`)).body.total).toBe(8);
    expect((await send('GET', `/rollouts/${id}/deploygroups/${groupId + 1000}/targets`)).status).toBe(404);
    expect((await send('GET', `/rollouts/${id + 1000}/deploygroups/${groupId}/targets`)).status).toBe(404);
    expect((await send('GET', `/rollouts/${id}/deploygroups/${groupId}/targets?q=name==`)).status).toBe(400);
    expect((await send('GET', `/rollouts/${id}/deploygroups/${groupId}/targets?sort=nope:ASC`)).status).toBe(400);

    // Removed before it ever started: its members are forgotten with it.
    expect((await send('DELETE', `/rollouts/${id}`)).status).toBe(204);
    expect((await send('GET', `/rollouts/${id}/deploygroups/${groupId}/targets`)).status).toBe(404);
    const { rows } = await fixture.pool.query(
      `select 1 from ${INVENTORY_SCHEMA}.rollout_members where rollout_id = $1`,
      [id],
    );
    expect(rows).toEqual([]);
  });
});
