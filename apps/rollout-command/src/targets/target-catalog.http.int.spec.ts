import { uniqueName } from '@fleetwave/testing';
import { INVENTORY_SCHEMA } from '../inventory/inventory.migration';
import { hawkbitError, InventoryHttpFixture } from '../inventory/testing/inventory-http.fixture';

/** Target tags (and their targets), target types and saved target filters through the HTTP edge. */
describe('target tags, types and filters API (Postgres, HTTP)', () => {
  const fx = new InventoryHttpFixture();
  beforeAll(async () => {
    await fx.start();
    await fx.pool.query(
      `insert into ${INVENTORY_SCHEMA}.targets (controller_id, name) select 'cat-' || i, 'cat ' || i from generate_series(1, 6) as i`,
    );
  });
  afterAll(() => fx.stop());

  const controllerIds = (page: { content: { controllerId: string }[] }) => page.content.map((t) => t.controllerId);

  describe('distribution sets of a target', () => {
    it('answers the assigned and the installed set, 204 while there is none, 404 for an unknown target', async () => {
      expect((await fx.send('GET', '/targets/cat-5/assignedDS')).status).toBe(204);
      expect((await fx.send('GET', '/targets/cat-5/installedDS')).status).toBe(204);
      expect((await fx.send('GET', '/targets/ghost/assignedDS')).status).toBe(404);
      const name = uniqueName('ds');
      const [set] = (await fx.expect(201, 'POST', '/distributionsets', [{ name, version: '1.0' }])).body;
      // As the action-status consumer leaves a target whose action is running (assigned, not yet installed).
      await fx.pool.query(`update ${INVENTORY_SCHEMA}.targets set assigned_ds_id = $1 where controller_id = 'cat-5'`, [
        set.id,
      ]);
      const assigned = await fx.expect(200, 'GET', '/targets/cat-5/assignedDS');
      expect(assigned.body).toMatchObject({ id: set.id, name, version: '1.0', _links: { self: expect.anything() } });
      expect((await fx.send('GET', '/targets/cat-5/installedDS')).status).toBe(204);
    });
  });

  describe('target tags', () => {
    it('creates, reads, lists, renames and deletes tags; a taken name is a 409', async () => {
      const name = uniqueName('tag');
      const [tag] = (await fx.expect(201, 'POST', '/targettags', [{ name, colour: 'red', description: 'd' }])).body;
      expect(tag).toEqual({
        id: expect.any(Number),
        name,
        description: 'd',
        colour: 'red',
        createdBy: 'operator',
        createdAt: expect.any(Number),
        lastModifiedBy: 'operator',
        lastModifiedAt: expect.any(Number),
        _links: { self: { href: `/rest/v1/targettags/${tag.id}` } },
      });
      expect((await fx.send('POST', '/targettags', [{ name }])).status).toBe(409);
      expect((await fx.send('POST', '/targettags', [{ colour: 'x' }])).status).toBe(400);
      expect((await fx.expect(200, 'GET', `/targettags?q=name==${name}`)).body.total).toBe(1);
      const renamed = await fx.expect(200, 'PUT', `/targettags/${tag.id}`, { name: `${name}-new` });
      expect(renamed.body.name).toBe(`${name}-new`);
      await fx.expect(204, 'DELETE', `/targettags/${tag.id}`);
      expect((await fx.send('GET', `/targettags/${tag.id}`)).status).toBe(404);
      expect((await fx.send('DELETE', `/targettags/${tag.id}`)).status).toBe(404);
    });

    it('assigns and unassigns targets, which the tag filter and the assigned list then see', async () => {
      const name = uniqueName('fleet');
      const [tag] = (await fx.expect(201, 'POST', '/targettags', [{ name }])).body;
      await fx.expect(204, 'POST', `/targettags/${tag.id}/assigned`, ['cat-1', 'cat-2', 'cat-3']);
      await fx.expect(204, 'POST', `/targettags/${tag.id}/assigned`, ['cat-3']);
      await fx.expect(204, 'DELETE', `/targettags/${tag.id}/assigned/cat-2`);
      await fx.expect(204, 'POST', `/targettags/${tag.id}/assigned/cat-4`);
      const assigned = await fx.expect(200, 'GET', `/targettags/${tag.id}/assigned?sort=controllerId:DESC`);
      expect(controllerIds(assigned.body)).toEqual(['cat-4', 'cat-3', 'cat-1']);
      const filtered = await fx.expect(200, 'GET', `/targets?q=tag==${name}&sort=controllerId:ASC`);
      expect(controllerIds(filtered.body)).toEqual(['cat-1', 'cat-3', 'cat-4']);
      const tagsOfTarget = await fx.expect(200, 'GET', '/targets/cat-3/tags');
      expect(tagsOfTarget.body.map((t: { id: number }) => t.id)).toEqual([tag.id]);
      expect((await fx.expect(200, 'GET', '/targets/cat-2/tags')).body).toEqual([]);
      expect((await fx.send('GET', '/targets/ghost/tags')).status).toBe(404);
      await fx.expect(204, 'DELETE', `/targettags/${tag.id}/assigned`, ['cat-1']);
      expect((await fx.expect(200, 'GET', `/targettags/${tag.id}/assigned`)).body.total).toBe(2);

      await fx.expect(200, 'PUT', `/targettags/${tag.id}`, { name: `${name}-renamed` });
      expect((await fx.expect(200, 'GET', `/targets?q=tag==${name}-renamed`)).body.total).toBe(2);
      await fx.expect(204, 'DELETE', `/targettags/${tag.id}`);
      expect((await fx.expect(200, 'GET', `/targets?q=tag==${name}-renamed`)).body.total).toBe(0);
    });

    it('fails an assignment naming unknown targets (404) unless the policy says otherwise', async () => {
      const [tag] = (await fx.expect(201, 'POST', '/targettags', [{ name: uniqueName('p') }])).body;
      const refused = await fx.send('POST', `/targettags/${tag.id}/assigned`, ['cat-5', 'ghost']);
      expect(refused.status).toBe(404);
      expect(refused.body.message).toContain('ghost');
      expect((await fx.expect(200, 'GET', `/targettags/${tag.id}/assigned`)).body.total).toBe(0);
      await fx.expect(204, 'POST', `/targettags/${tag.id}/assigned?onNotFoundPolicy=ON_WHAT_FOUND_AND_SUCCESS`, [
        'cat-5',
        'ghost',
      ]);
      expect(controllerIds((await fx.expect(200, 'GET', `/targettags/${tag.id}/assigned`)).body)).toEqual(['cat-5']);
      const partial = await fx.send('POST', `/targettags/${tag.id}/assigned?onNotFoundPolicy=ON_WHAT_FOUND_AND_FAIL`, [
        'cat-6',
        'ghost',
      ]);
      expect(partial.status).toBe(404);
      expect((await fx.expect(200, 'GET', `/targettags/${tag.id}/assigned`)).body.total).toBe(2);
      expect((await fx.send('POST', `/targettags/${tag.id}/assigned`, [42])).status).toBe(400);
      expect((await fx.send('POST', `/targettags/${tag.id}/assigned?onNotFoundPolicy=NOPE`, ['cat-1'])).status).toBe(
        400,
      );
      expect((await fx.send('POST', '/targettags/999999/assigned', ['cat-1'])).status).toBe(404);
    });
  });

  describe('target types', () => {
    it('creates a type compatible with set types, assigns it to a target, and keeps it while in use (409)', async () => {
      const setTypes = (await fx.expect(200, 'GET', '/distributionsettypes?q=key==os')).body.content;
      const name = uniqueName('gateway');
      const [type] = (
        await fx.expect(201, 'POST', '/targettypes', [
          { name, colour: '#aaafff', compatibledistributionsettypes: [{ id: setTypes[0].id }] },
        ])
      ).body;
      expect(type).toMatchObject({ name, key: name, colour: '#aaafff', deleted: false });
      const compatible = await fx.expect(200, 'GET', `/targettypes/${type.id}/compatibledistributionsettypes`);
      expect(compatible.body.map((t: { key: string }) => t.key)).toEqual(['os']);
      expect((await fx.send('POST', '/targettypes', [{ name }])).status).toBe(409);
      expect(
        (await fx.send('POST', '/targettypes', [{ name: 'x', compatibledistributionsettypes: [{ id: 999999 }] }]))
          .status,
      ).toBe(404);

      const assigned = await fx.expect(200, 'PUT', '/targets/cat-6', { targetType: type.id });
      expect(assigned.body).toMatchObject({ targetType: type.id, targetTypeName: name });
      expect((await fx.expect(200, 'GET', `/targets?q=type==${name}`)).body.total).toBe(1);
      expect((await fx.send('DELETE', `/targettypes/${type.id}`)).status).toBe(409);
      await fx.expect(204, 'DELETE', '/targets/cat-6/targettype');
      expect((await fx.expect(200, 'GET', '/targets/cat-6')).body.targetType).toBeUndefined();
      await fx.expect(204, 'POST', '/targets/cat-6/targettype', { id: type.id });
      expect((await fx.expect(200, 'GET', '/targets/cat-6')).body.targetType).toBe(type.id);
      await fx.expect(204, 'DELETE', '/targets/cat-6/targettype');

      const typed = uniqueName('typed');
      const [created] = (await fx.expect(201, 'POST', '/targets', [{ controllerId: typed, targetType: type.id }])).body;
      expect(created).toMatchObject({ controllerId: typed, targetType: type.id });
      expect((await fx.send('POST', '/targets', [{ controllerId: uniqueName('x'), targetType: 999999 }])).status).toBe(
        404,
      );
      await fx.expect(204, 'DELETE', `/targets/${typed}`);

      const renamed = await fx.expect(200, 'PUT', `/targettypes/${type.id}`, { name: `${name}-2` });
      expect(renamed.body).toMatchObject({ name: `${name}-2`, key: name });
      expect((await fx.expect(200, 'GET', `/targettypes?q=name==${name}-2`)).body.total).toBe(1);
      await fx.expect(204, 'DELETE', `/targettypes/${type.id}`);
      expect((await fx.send('GET', `/targettypes/${type.id}`)).status).toBe(404);
    });
  });

  describe('target filters', () => {
    it('saves, reads, lists, changes and deletes a filter', async () => {
      const name = uniqueName('filter');
      const created = await fx.expect(201, 'POST', '/targetfilters', { name, query: 'name==cat*' });
      expect(created.body).toMatchObject({ id: expect.any(Number), name, query: 'name==cat*', createdBy: 'operator' });
      const id = created.body.id;
      expect((await fx.expect(200, 'GET', `/targetfilters/${id}`)).body.query).toBe('name==cat*');
      expect((await fx.expect(200, 'GET', `/targetfilters?q=name==${name}&sort=name:DESC`)).body.total).toBe(1);
      const changed = await fx.expect(200, 'PUT', `/targetfilters/${id}`, { query: 'updatestatus==error' });
      expect(changed.body).toMatchObject({ name, query: 'updatestatus==error' });
      expect((await fx.send('POST', '/targetfilters', { name, query: 'name==x' })).status).toBe(409);
      await fx.expect(204, 'DELETE', `/targetfilters/${id}`);
      expect((await fx.send('GET', `/targetfilters/${id}`)).status).toBe(404);
      expect((await fx.send('PUT', `/targetfilters/${id}`, { name: 'x' })).status).toBe(404);
    });

    it.each([
      ['name==', /position 7/, 'rsqlParamSyntax'],
      ['name==a;(b==c', /position/, 'rsqlParamSyntax'],
      ['colour==red', /unknown field 'colour' at position 1/, 'rsqlInvalidField'],
      ['updatestatus==sleeping', /position 1/, 'rsqlParamSyntax'],
    ])('refuses the malformed query %j with a 400 naming the position', async (query, message, code) => {
      for (const [method, path] of [
        ['POST', '/targetfilters'],
        ['PUT', '/targetfilters/1'],
      ]) {
        const { status, body } = await fx.send(method, path, { name: uniqueName('bad'), query });
        expect({ method, status }).toEqual({ method, status: 400 });
        expect(body).toEqual({ ...hawkbitError, errorCode: `hawkbit.server.error.rest.param.${code}` });
        expect(body.message).toMatch(message);
      }
    });

    it('refuses a filter without a name or query', async () => {
      expect((await fx.send('POST', '/targetfilters', { name: 'x' })).status).toBe(400);
      expect((await fx.send('POST', '/targetfilters', { query: 'name==x' })).status).toBe(400);
    });
  });
});
