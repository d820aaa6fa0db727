import { INVENTORY_SCHEMA } from '../inventory/inventory.migration';
import { hawkbitError, InventoryHttpFixture } from '../inventory/testing/inventory-http.fixture';

/** Targets by controllerId through the HTTP edge: read, change, delete, attributes, list with q/sort/paging. */
describe('targets API (Postgres, HTTP)', () => {
  const fx = new InventoryHttpFixture();

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

  it('reads a target by its controllerId with hawkBit fields', async () => {
    const { body } = await fx.expect(200, 'GET', '/targets/dev-03');
    expect(body).toEqual({
      id: expect.any(Number),
      controllerId: 'dev-03',
      name: 'Device 03',
      description: 'd0',
      updateStatus: 'error',
      lastControllerRequestAt: Date.parse('2026-02-01T00:17:00Z'),
      requestAttributes: true,
      createdBy: 'system',
      createdAt: Date.parse('2026-01-01T03:00:00Z'),
      lastModifiedBy: 'system',
      lastModifiedAt: expect.any(Number),
      _links: { self: { href: '/rest/v1/targets/dev-03' } },
    });
  });

  it('answers the attributes as a string map', async () => {
    const { body } = await fx.expect(200, 'GET', '/targets/dev-04/attributes');
    expect(body).toEqual({ hwRev: 'Rev0', region: 'EU' });
  });

  it('answers 404 with hawkBit’s body for an unknown controllerId, on every verb', async () => {
    for (const [method, path, body] of [
      ['GET', '/targets/nope', undefined],
      ['GET', '/targets/nope/attributes', undefined],
      ['PUT', '/targets/nope', { name: 'x' }],
      ['DELETE', '/targets/nope', undefined],
    ] as const) {
      const answer = await fx.send(method, path, body);
      expect({ path, method, status: answer.status }).toEqual({ path, method, status: 404 });
      expect(answer.body).toEqual({ ...hawkbitError, errorCode: 'hawkbit.server.error.repo.entitiyNotFound' });
    }
  });

  it('changes name and description with PUT and records who did it', async () => {
    await fx.expect(201, 'POST', '/targets', [{ controllerId: 'put-1', name: 'before' }]);
    const { body } = await fx.expect(200, 'PUT', '/targets/put-1', { name: 'after', description: 'new' });
    expect(body).toMatchObject({
      controllerId: 'put-1',
      name: 'after',
      description: 'new',
      lastModifiedBy: 'operator',
    });
    expect((await fx.expect(200, 'GET', '/targets/put-1')).body.name).toBe('after');
  });

  it('refuses a PUT with an empty name or an unknown target type', async () => {
    expect((await fx.send('PUT', '/targets/dev-01', { name: '' })).status).toBe(400);
    expect((await fx.send('PUT', '/targets/dev-01', { targetType: 'x' })).status).toBe(400);
    expect((await fx.send('PUT', '/targets/dev-01', { targetType: 999999 })).status).toBe(404);
  });

  it('deletes a target: 204, then 404', async () => {
    await fx.expect(201, 'POST', '/targets', [{ controllerId: 'del-1' }]);
    await fx.expect(204, 'DELETE', '/targets/del-1');
    expect((await fx.send('GET', '/targets/del-1')).status).toBe(404);
    expect((await fx.send('DELETE', '/targets/del-1')).status).toBe(404);
  });

  it('keeps operator metadata that the metadata.<key> filter reads', async () => {
    await fx.expect(201, 'POST', '/targets', [{ controllerId: 'meta-1' }]);
    const created = await fx.expect(201, 'POST', '/targets/meta-1/metadata', [
      { key: 'owner', value: 'ops' },
      { key: 'Site', value: 'Berlin' },
    ]);
    expect(created.body).toEqual([
      { key: 'owner', value: 'ops' },
      { key: 'Site', value: 'Berlin' },
    ]);
    expect((await fx.send('POST', '/targets/meta-1/metadata', [{ key: 'owner', value: 'x' }])).status).toBe(409);
    expect((await fx.expect(200, 'GET', '/targets/meta-1/metadata')).body).toMatchObject({
      total: 2,
      content: [
        { key: 'Site', value: 'Berlin' },
        { key: 'owner', value: 'ops' },
      ],
    });
    await fx.expect(204, 'PUT', '/targets/meta-1/metadata/owner', { value: 'platform' });
    expect((await fx.expect(200, 'GET', '/targets/meta-1/metadata/owner')).body).toEqual({
      key: 'owner',
      value: 'platform',
    });
    expect(
      (await fx.expect(200, 'GET', `/targets?q=${encodeURIComponent('metadata.owner==PLATFORM')}`)).body.total,
    ).toBe(1);
    await fx.expect(204, 'DELETE', '/targets/meta-1/metadata/owner');
    expect((await fx.send('GET', '/targets/meta-1/metadata/owner')).status).toBe(404);
    expect((await fx.send('PUT', '/targets/meta-1/metadata/owner', { value: 'x' })).status).toBe(404);
    expect((await fx.send('DELETE', '/targets/meta-1/metadata/owner')).status).toBe(404);
    expect((await fx.send('GET', '/targets/ghost/metadata')).status).toBe(404);
    expect((await fx.send('POST', '/targets/ghost/metadata', [{ key: 'a', value: 'b' }])).status).toBe(404);
    expect((await fx.send('POST', '/targets/meta-1/metadata', [{ value: 'no key' }])).status).toBe(400);
    const tooMany = Array.from({ length: 100 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    expect((await fx.send('POST', '/targets/meta-1/metadata', tooMany)).status).toBe(429);
  });

  const ids = async (query: string): Promise<string[]> => {
    const { body } = await fx.expect(200, 'GET', `/targets?${query}`);
    return body.content.map((t: { controllerId: string }) => t.controllerId);
  };

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
    const { body } = await fx.expect(200, 'GET', `/targets?limit=500&q=${encodeURIComponent(q)}&sort=id:ASC`);
    expect(body.total).toBe(count);
    expect(body.content.every((t: { controllerId: string }) => t.controllerId.startsWith('dev-'))).toBe(true);
  });

  it('answers a malformed q with a 400 naming the position', async () => {
    const { status, body } = await fx.send('GET', `/targets?q=${encodeURIComponent('name==a;;x')}`);
    expect(status).toBe(400);
    expect(body).toEqual({ ...hawkbitError, errorCode: 'hawkbit.server.error.rest.param.rsqlParamSyntax' });
    expect(body.message).toMatch(/position \d+/);
    const unknown = await fx.send('GET', `/targets?q=${encodeURIComponent('nosuch==1')}`);
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({
      exceptionClass: 'RSQLParameterUnsupportedFieldException',
      errorCode: 'hawkbit.server.error.rest.param.rsqlInvalidField',
      message: expect.stringMatching(/unknown field 'nosuch' at position 1/),
    });
  });

  it.each([
    ['controllerId', (t: string[]) => t],
    ['name', (t: string[]) => t],
    ['createdAt', (t: string[]) => t],
    ['lastControllerRequestAt', (t: string[]) => [...t].reverse()],
  ])('sorts by %s in both directions', async (field, expected) => {
    const q = `q=${encodeURIComponent('controllerId==dev-*')}&limit=500`;
    const ascending = await ids(`${q}&sort=${field}:ASC`);
    const natural = Array.from({ length: 20 }, (_, i) => `dev-${String(i + 1).padStart(2, '0')}`);
    expect(ascending).toEqual(expected(natural));
    expect(await ids(`${q}&sort=${field}:DESC`)).toEqual([...expected(natural)].reverse());
  });

  it('sorts by several fields, the later ones breaking ties', async () => {
    const q = `q=${encodeURIComponent('controllerId==dev-*')}&limit=4`;
    expect(await ids(`${q}&sort=updateStatus:ASC,controllerId:DESC`)).toEqual(['dev-19', 'dev-15', 'dev-11', 'dev-07']);
  });

  it('refuses a sort field or direction it does not know with a 400', async () => {
    for (const sort of ['attributes:ASC', 'name:UP', 'securityToken:ASC']) {
      const { status, body } = await fx.send('GET', `/targets?sort=${encodeURIComponent(sort)}`);
      expect({ sort, status }).toEqual({ sort, status: 400 });
      expect(body).toEqual({ ...hawkbitError, errorCode: 'hawkbit.server.error.sortParamSyntaxError' });
    }
  });

  it('pages with offset and limit and reports the total', async () => {
    const q = `q=${encodeURIComponent('controllerId==dev-*')}&sort=controllerId:ASC`;
    const { body } = await fx.expect(200, 'GET', `/targets?${q}&offset=18&limit=5`);
    expect(body).toMatchObject({ total: 20, size: 2 });
    expect(body.content.map((t: { controllerId: string }) => t.controllerId)).toEqual(['dev-19', 'dev-20']);
  });
});
