import type { HawkbitErrorBody } from '@fleetwave/platform';
import { uniqueName } from '@fleetwave/testing';
import { INVENTORY_SCHEMA } from '../inventory/inventory.migration';
import { InventoryFixture } from '../inventory/testing/inventory.fixture';

type Json = Record<string, any>;

/**
 * `fleetwave.internal.v1.Targets` over a real channel, on Postgres: targets by controllerId read,
 * changed and deleted, their attributes, sets, tags, type and metadata, the list with q, sort and
 * paging; a refusal comes back as the status and hawkBit body REST answers with.
 */
describe('internal targets API over gRPC (Postgres)', () => {
  const fx = new InventoryFixture();
  const operator = { user: 'operator', permissions: ['CREATE_TARGET', 'UPDATE_TARGET', 'DELETE_TARGET'] };
  const call = (method: string, request: Json): Promise<Json> => fx.client('targets').call(method, request);
  const command = (method: string, request: Json) => call(method, { caller: operator, ...request });

  /** The whole refusal of a call (status and hawkBit body); fails the test when it succeeded. */
  async function refused(work: Promise<unknown>): Promise<{ status: number; body: HawkbitErrorBody }> {
    const error = await work.then(
      () => {
        throw new Error('the call succeeded');
      },
      (e: { getStatus(): number; body: HawkbitErrorBody }) => e,
    );
    return { status: error.getStatus(), body: error.body };
  }
  /** The 404 of an unknown entity, as the inventory's handlers refuse it. */
  const notFound = (entity: string, id: string | number) => ({
    status: 404,
    body: {
      exceptionClass: 'EntityNotFoundException',
      errorCode: 'hawkbit.server.error.repo.entitiyNotFound',
      message: `${entity} with given identifier {${id}} does not exist.`,
    },
  });

  beforeAll(async () => {
    await fx.start();
    await fx.pool.query(
      `insert into ${INVENTORY_SCHEMA}.targets (controller_id, name, description, update_status, attributes, created_at, last_controller_request_at)
       select 'dev-' || lpad(i::text, 2, '0'), 'Device ' || lpad(i::text, 2, '0'), 'd' || (i % 3),
              (array['registered', 'in_sync', 'pending', 'error'])[1 + i % 4],
              jsonb_build_object('hwRev', 'Rev' || (i % 2), 'region', case when i <= 5 then 'EU' else 'US' end),
              timestamptz '2026-01-01' + i * interval '1 hour', timestamptz '2026-02-01' + (20 - i) * interval '1 minute'
       from generate_series(1, 20) as i`,
    );
  });
  afterAll(() => fx.stop());

  it('reads a target by its controllerId: what the inventory stores, no REST defaults', async () => {
    expect(await call('GetTarget', { controllerId: 'dev-03' })).toEqual({
      id: expect.any(Number),
      controllerId: 'dev-03',
      name: 'Device 03',
      description: 'd0',
      updateStatus: 'error',
      lastControllerRequestAt: Date.parse('2026-02-01T00:17:00Z'),
      audit: {
        createdBy: 'system',
        createdAt: Date.parse('2026-01-01T03:00:00Z'),
        lastModifiedBy: 'system',
        lastModifiedAt: expect.any(Number),
      },
    });
  });

  it('answers the attributes as a string map', async () => {
    expect(await call('GetAttributes', { controllerId: 'dev-04' })).toEqual({
      attributes: { hwRev: 'Rev0', region: 'EU' },
    });
  });

  it('refuses an unknown controllerId with hawkBit’s 404 on every method', async () => {
    for (const [method, request] of [
      ['GetTarget', {}],
      ['GetAttributes', {}],
      ['GetAssignedSet', {}],
      ['GetInstalledSet', {}],
      ['ListTags', {}],
      ['UpdateTarget', { name: 'x' }],
      ['DeleteTarget', {}],
      ['UnassignType', {}],
      ['ListMetadata', {}],
      ['GetMetadata', { key: 'a' }],
      ['CreateMetadata', { entries: [{ key: 'a', value: 'b' }] }],
    ] as const) {
      const answer = await refused(command(method, { controllerId: 'nope', ...request }));
      expect({ method, ...answer }).toEqual({ method, ...notFound('Target', 'nope') });
    }
  });

  it('refuses a controllerId no target can have, and a change without a caller, with a 400', async () => {
    expect(await refused(call('GetTarget', { controllerId: 'dev\u00001' }))).toMatchObject({
      status: 400,
      body: { errorCode: 'hawkbit.server.error.rest.param.invalid' },
    });
    expect(await refused(call('UpdateTarget', { controllerId: 'dev-01', name: 'x' }))).toMatchObject({
      status: 400,
      body: { message: 'caller.user is required' },
    });
  });

  it('changes name and description, records who did it, and keeps what was not sent', async () => {
    const [created] = (await command('CreateTargets', { targets: [{ controllerId: 'put-1', name: 'before' }] }))
      .items as Json[];
    expect(created).toMatchObject({ controllerId: 'put-1', name: 'before', audit: { createdBy: 'operator' } });
    const changed = await call('UpdateTarget', {
      caller: { user: 'changer', permissions: [] },
      controllerId: 'put-1',
      name: 'after',
      description: 'new',
    });
    expect(changed).toMatchObject({
      controllerId: 'put-1',
      name: 'after',
      description: 'new',
      audit: { createdBy: 'operator', lastModifiedBy: 'changer' },
    });
    expect(await command('UpdateTarget', { controllerId: 'put-1', description: '' })).toMatchObject({
      name: 'after',
      description: '',
    });
    expect((await call('GetTarget', { controllerId: 'put-1' })).name).toBe('after');
  });

  it('deletes a target, then knows it no more', async () => {
    await command('CreateTargets', { targets: [{ controllerId: 'del-1' }] });
    expect(await command('DeleteTarget', { controllerId: 'del-1' })).toEqual({});
    expect(await refused(call('GetTarget', { controllerId: 'del-1' }))).toEqual(notFound('Target', 'del-1'));
    expect(await refused(command('DeleteTarget', { controllerId: 'del-1' }))).toEqual(notFound('Target', 'del-1'));
  });

  it('answers the assigned and the installed set, none while there is none', async () => {
    expect(await call('GetAssignedSet', { controllerId: 'dev-05' })).toEqual({});
    expect(await call('GetInstalledSet', { controllerId: 'dev-05' })).toEqual({});
    const name = uniqueName('ds');
    const { rows } = await fx.pool.query<{ id: string }>(
      `insert into ${INVENTORY_SCHEMA}.distribution_sets (name, version, type, created_by, last_modified_by)
       values ($1, '1.0', 'os', 'test', 'test') returning id`,
      [name],
    );
    const setId = Number(rows[0].id);
    // As the action-status consumer leaves a target whose action is running (assigned, not yet installed).
    await fx.pool.query(`update ${INVENTORY_SCHEMA}.targets set assigned_ds_id = $1 where controller_id = 'dev-05'`, [
      setId,
    ]);
    expect(await call('GetAssignedSet', { controllerId: 'dev-05' })).toMatchObject({
      set: { id: setId, name, version: '1.0', type: 'os' },
    });
    expect(await call('GetInstalledSet', { controllerId: 'dev-05' })).toEqual({});
  });

  it('answers the tags of a target by id, none for an untagged one', async () => {
    const names = [uniqueName('tag-b'), uniqueName('tag-a')];
    const { rows } = await fx.pool.query<{ id: string }>(
      `insert into ${INVENTORY_SCHEMA}.target_tags (name, colour, created_by, last_modified_by)
       select n, 'red', 'test', 'test' from unnest($1::text[]) as n returning id`,
      [names],
    );
    await fx.pool.query(`update ${INVENTORY_SCHEMA}.targets set tags = $1 where controller_id = 'dev-06'`, [names]);
    const { items } = await call('ListTags', { controllerId: 'dev-06' });
    expect(items).toEqual(
      rows.map((row, i) => ({
        id: Number(row.id),
        name: names[i],
        colour: 'red',
        audit: expect.objectContaining({ createdBy: 'test' }),
      })),
    );
    expect(await call('ListTags', { controllerId: 'dev-07' })).toEqual({});
  });

  it('assigns, changes and unassigns a target type; an unknown one is a 404', async () => {
    const name = uniqueName('gateway');
    const { rows } = await fx.pool.query<{ id: string }>(
      `insert into ${INVENTORY_SCHEMA}.target_types (key, name, created_by, last_modified_by)
       values ($1, $1, 'test', 'test') returning id`,
      [name],
    );
    const typeId = Number(rows[0].id);
    expect(await command('UpdateTarget', { controllerId: 'dev-08', targetType: typeId })).toMatchObject({
      targetType: typeId,
      targetTypeName: name,
    });
    expect(await command('UnassignType', { controllerId: 'dev-08' })).toEqual({});
    expect(await call('GetTarget', { controllerId: 'dev-08' })).not.toHaveProperty('targetType');
    expect(await command('AssignType', { controllerId: 'dev-08', targetType: typeId })).toEqual({});
    expect(await call('GetTarget', { controllerId: 'dev-08' })).toMatchObject({
      targetType: typeId,
      targetTypeName: name,
      audit: { lastModifiedBy: 'operator' },
    });
    expect((await call('ListTargets', { q: `type==${name}` })).total).toBe(1);

    expect(await refused(command('AssignType', { controllerId: 'dev-08', targetType: 999999 }))).toEqual(
      notFound('TargetType', 999999),
    );
    expect(await refused(command('AssignType', { controllerId: 'nope', targetType: typeId }))).toEqual(
      notFound('Target', 'nope'),
    );
    expect(await refused(command('UpdateTarget', { controllerId: 'dev-01', targetType: 999999 }))).toEqual(
      notFound('TargetType', 999999),
    );
    const typed = uniqueName('typed');
    const [created] = (await command('CreateTargets', { targets: [{ controllerId: typed, targetType: typeId }] }))
      .items as Json[];
    expect(created).toMatchObject({ controllerId: typed, name: typed, targetType: typeId });
    await command('UnassignType', { controllerId: 'dev-08' });
  });

  it('keeps operator metadata that the metadata.<key> filter reads', async () => {
    await command('CreateTargets', { targets: [{ controllerId: 'meta-1' }] });
    const target = { controllerId: 'meta-1' };
    const created = await command('CreateMetadata', {
      ...target,
      entries: [
        { key: 'owner', value: 'ops' },
        { key: 'Site', value: 'Berlin' },
      ],
    });
    expect(created).toEqual({
      items: [
        { key: 'owner', value: 'ops' },
        { key: 'Site', value: 'Berlin' },
      ],
    });
    expect(await refused(command('CreateMetadata', { ...target, entries: [{ key: 'owner', value: 'x' }] }))).toEqual({
      status: 409,
      body: {
        exceptionClass: 'EntityAlreadyExistsException',
        errorCode: 'hawkbit.server.error.repo.entitiyAlreayExists',
        message: 'metadata of target meta-1 with one of the keys already exists',
      },
    });
    expect(await call('ListMetadata', target)).toEqual({
      content: [
        { key: 'Site', value: 'Berlin' },
        { key: 'owner', value: 'ops' },
      ],
      total: 2,
    });
    expect(await command('UpdateMetadata', { ...target, key: 'owner', value: 'platform' })).toEqual({});
    expect(await call('GetMetadata', { ...target, key: 'owner' })).toEqual({ key: 'owner', value: 'platform' });
    expect((await call('ListTargets', { q: 'metadata.owner==PLATFORM' })).total).toBe(1);
    expect(await command('DeleteMetadata', { ...target, key: 'owner' })).toEqual({});

    const unknownKey = notFound('TargetMetadata', 'owner');
    expect(await refused(call('GetMetadata', { ...target, key: 'owner' }))).toEqual(unknownKey);
    expect(await refused(command('UpdateMetadata', { ...target, key: 'owner', value: 'x' }))).toEqual(unknownKey);
    expect(await refused(command('DeleteMetadata', { ...target, key: 'owner' }))).toEqual(unknownKey);
    expect(await refused(command('DeleteMetadata', { controllerId: 'ghost', key: 'owner' }))).toEqual(
      notFound('Target', 'ghost'),
    );
    const tooMany = Array.from({ length: 100 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    expect(await refused(command('CreateMetadata', { ...target, entries: tooMany }))).toEqual({
      status: 429,
      body: {
        exceptionClass: 'AssignmentQuotaExceededException',
        errorCode: 'hawkbit.server.error.quota.tooManyEntries',
        message: 'a target may carry at most 100 metadata entries',
      },
    });
    expect((await call('ListMetadata', target)).total).toBe(1);
  });

  const ids = async (page: Json): Promise<string[]> =>
    ((await call('ListTargets', page)).content as Json[]).map((t) => t.controllerId as string);

  it.each([
    ['controllerId==dev-1*', 10],
    ['name=="device 0*"', 9],
    ['updatestatus==error', 5],
    ['updatestatus=in=(in_sync,pending)', 10],
    ['attribute.region==eu', 5],
    ['attribute.hwRev=in=(Rev1)', 10],
    ['controllerId==dev-*;attribute.region!=EU', 15],
    ['attribute.region==E*', 5],
    ['attribute.HWREV==rev0', 0],
    ['attribute.HWREV=in=(rev0,rev1)', 0],
    [`controllerId==dev-*;createdat=ge=${Date.parse('2026-01-01T15:00:00Z')}`, 6],
    ['description==d1;attribute.region==US', 5],
    ['(name=="Device 01",name=="Device 02");updatestatus==in_sync', 1],
  ])('filters q=%s to %i targets', async (q, count) => {
    const { content, total } = await call('ListTargets', { limit: 500, q, sort: 'id:ASC' });
    expect(total ?? 0).toBe(count);
    expect(((content ?? []) as Json[]).every((t) => String(t.controllerId).startsWith('dev-'))).toBe(true);
  });

  it('refuses a malformed q with a 400 naming the position', async () => {
    const { status, body } = await refused(call('ListTargets', { q: 'name==a;;x' }));
    expect({ status, errorCode: body.errorCode }).toEqual({
      status: 400,
      errorCode: 'hawkbit.server.error.rest.param.rsqlParamSyntax',
    });
    expect(body.message).toMatch(/position \d+/);
    expect(await refused(call('ListTargets', { q: 'nosuch==1' }))).toEqual({
      status: 400,
      body: {
        exceptionClass: 'RSQLParameterUnsupportedFieldException',
        errorCode: 'hawkbit.server.error.rest.param.rsqlInvalidField',
        message: expect.stringMatching(/unknown field 'nosuch' at position 1/),
      },
    });
  });

  it.each([
    ['controllerId', (t: string[]) => t],
    ['name', (t: string[]) => t],
    ['createdAt', (t: string[]) => t],
    ['lastControllerRequestAt', (t: string[]) => [...t].reverse()],
  ])('sorts by %s in both directions', async (field, expected) => {
    const page = { q: 'controllerId==dev-*', limit: 500 };
    const natural = Array.from({ length: 20 }, (_, i) => `dev-${String(i + 1).padStart(2, '0')}`);
    expect(await ids({ ...page, sort: `${field}:ASC` })).toEqual(expected(natural));
    expect(await ids({ ...page, sort: `${field}:DESC` })).toEqual([...expected(natural)].reverse());
  });

  it('sorts by several fields, the later ones breaking ties', async () => {
    expect(await ids({ q: 'controllerId==dev-*', limit: 4, sort: 'updateStatus:ASC,controllerId:DESC' })).toEqual([
      'dev-19',
      'dev-15',
      'dev-11',
      'dev-07',
    ]);
  });

  it('refuses a sort field or direction it does not know with a 400', async () => {
    for (const sort of ['attributes:ASC', 'name:UP', 'securityToken:ASC']) {
      const { status, body } = await refused(call('ListTargets', { sort }));
      expect({ sort, status, errorCode: body.errorCode }).toEqual({
        sort,
        status: 400,
        errorCode: 'hawkbit.server.error.rest.param.sortParamSyntax',
      });
    }
  });

  it('pages with offset and limit (50 by default) and tells the total', async () => {
    const page = { q: 'controllerId==dev-*', sort: 'controllerId:ASC' };
    const tail = await call('ListTargets', { ...page, offset: 18, limit: 5 });
    expect(tail.total).toBe(20);
    expect((tail.content as Json[]).map((t) => t.controllerId)).toEqual(['dev-19', 'dev-20']);
    expect(await refused(call('ListTargets', { limit: 501 }))).toMatchObject({ status: 400 });
    await command('CreateTargets', {
      targets: Array.from({ length: 60 }, (_, i) => ({ controllerId: uniqueName(`bulk${i}`) })),
    });
    expect(((await call('ListTargets', {})).content as Json[]).length).toBe(50);
  });
});
