import { hawkbitError, InventoryHttpFixture } from '../inventory/testing/inventory-http.fixture';
import { uniqueName } from '@fleetwave/testing';

/** Software modules, distribution sets (with assignedSM) and their types through the HTTP edge. */
describe('repository API (Postgres, HTTP)', () => {
  const fx = new InventoryHttpFixture();
  beforeAll(() => fx.start());
  afterAll(() => fx.stop());

  const module = async (type: string, name = uniqueName('sm')): Promise<number> =>
    (await fx.expect(201, 'POST', '/softwaremodules', [{ name, version: '1.0', type, vendor: 'acme' }])).body[0].id;
  const set = async (type: string, modules: number[] = [], name = uniqueName('ds')) =>
    (
      await fx.expect(201, 'POST', '/distributionsets', [
        { name, version: '1.0', type, modules: modules.map((id) => ({ id })) },
      ])
    ).body[0];

  describe('types', () => {
    it('seeds hawkBit’s default module and set types', async () => {
      const modules = (await fx.expect(200, 'GET', '/softwaremoduletypes?sort=key:ASC')).body;
      expect(modules.content.map((t: { key: string }) => t.key)).toEqual(['application', 'os', 'runtime']);
      expect(modules.content.find((t: { key: string }) => t.key === 'os')).toMatchObject({
        name: 'OS',
        maxAssignments: 1,
        _links: { self: { href: expect.stringMatching(/^\/rest\/v1\/softwaremoduletypes\/\d+$/) } },
      });
      const sets = (await fx.expect(200, 'GET', '/distributionsettypes?sort=key:DESC')).body;
      expect(sets.content.map((t: { key: string }) => t.key)).toEqual(['os_app', 'os', 'app']);
      const osApp = sets.content[0];
      const mandatory = (await fx.expect(200, 'GET', `/distributionsettypes/${osApp.id}/mandatorymoduletypes`)).body;
      const optional = (await fx.expect(200, 'GET', `/distributionsettypes/${osApp.id}/optionalmoduletypes`)).body;
      expect(mandatory.map((t: { key: string }) => t.key)).toEqual(['os']);
      expect(optional.map((t: { key: string }) => t.key).sort()).toEqual(['application', 'runtime']);
    });

    it('creates, reads, filters and deletes a module type; a taken key is a 409', async () => {
      const created = await fx.expect(201, 'POST', '/softwaremoduletypes', [
        { key: 'firmware', name: 'Firmware', maxAssignments: 2, description: 'fw' },
      ]);
      const id = created.body[0].id;
      expect((await fx.expect(200, 'GET', `/softwaremoduletypes/${id}`)).body).toMatchObject({
        key: 'firmware',
        maxAssignments: 2,
        createdBy: 'operator',
      });
      expect((await fx.expect(200, 'GET', '/softwaremoduletypes?q=key==firm*')).body.total).toBe(1);
      expect(
        (await fx.send('POST', '/softwaremoduletypes', [{ key: 'firmware', name: 'Other', maxAssignments: 1 }])).status,
      ).toBe(409);
      expect((await fx.send('POST', '/softwaremoduletypes', [{ key: 'x', name: 'X' }])).status).toBe(400);
      await fx.expect(204, 'DELETE', `/softwaremoduletypes/${id}`);
      expect((await fx.send('GET', `/softwaremoduletypes/${id}`)).status).toBe(404);
    });

    it('creates a set type with its module types and keeps a type in use (409)', async () => {
      const types = (await fx.expect(200, 'GET', '/softwaremoduletypes?q=key==os')).body.content;
      const [created] = (
        await fx.expect(201, 'POST', '/distributionsettypes', [
          { key: 'osonly2', name: 'OS only 2', mandatorymodules: [{ id: types[0].id }] },
        ])
      ).body;
      expect(created).toMatchObject({ key: 'osonly2', name: 'OS only 2', deleted: false });
      expect(
        (
          await fx.send('POST', '/distributionsettypes', [
            { key: 'bad', name: 'Bad', optionalmodules: [{ id: 999999 }] },
          ])
        ).status,
      ).toBe(404);
      await set('osonly2');
      const refused = await fx.send('DELETE', `/distributionsettypes/${created.id}`);
      expect(refused.status).toBe(409);
      expect(refused.body).toEqual(hawkbitError);
      expect((await fx.send('DELETE', '/softwaremoduletypes/' + types[0].id)).status).toBe(409);
    });
  });

  describe('software modules', () => {
    it('refuses an unknown module type (404)', async () => {
      const { status, body } = await fx.send('POST', '/softwaremodules', [{ name: 'x', version: '1', type: 'nosuch' }]);
      expect(status).toBe(404);
      expect(body).toEqual({ ...hawkbitError, errorCode: 'hawkbit.server.error.repo.entitiyNotFound' });
    });

    it('lists with q and sort, changes vendor and description, and deletes', async () => {
      const name = uniqueName('listed');
      const a = await module('os', `${name}-a`);
      const b = await module('application', `${name}-b`);
      const list = await fx.expect(200, 'GET', `/softwaremodules?q=name==${name}*&sort=name:DESC`);
      expect(list.body.content.map((m: { id: number }) => m.id)).toEqual([b, a]);
      expect(list.body.content[0]).toMatchObject({
        type: 'application',
        typeName: 'Application',
        vendor: 'acme',
        deleted: false,
      });
      const changed = await fx.expect(200, 'PUT', `/softwaremodules/${a}`, { vendor: 'other', description: 'new' });
      expect(changed.body).toMatchObject({ id: a, vendor: 'other', description: 'new', name: `${name}-a` });
      await fx.expect(204, 'DELETE', `/softwaremodules/${b}`);
      expect((await fx.send('GET', `/softwaremodules/${b}`)).status).toBe(404);
      expect((await fx.send('PUT', `/softwaremodules/${b}`, { vendor: 'x' })).status).toBe(404);
      expect((await fx.send('GET', '/softwaremodules?sort=size:ASC')).status).toBe(400);
      expect((await fx.send('GET', '/softwaremodules?q=size==1')).status).toBe(400);
    });

    it('soft-deletes a module a set holds: still readable, no longer listed', async () => {
      const name = uniqueName('held');
      const id = await module('os', name);
      await set('os', [id]);
      await fx.expect(204, 'DELETE', `/softwaremodules/${id}`);
      expect((await fx.expect(200, 'GET', `/softwaremodules/${id}`)).body.deleted).toBe(true);
      expect((await fx.expect(200, 'GET', `/softwaremodules?q=name==${name}`)).body.total).toBe(0);
    });

    it('serves artifact paths as the artifact resource (an upload must be multipart)', async () => {
      const id = await module('os');
      expect((await fx.expect(200, 'GET', `/softwaremodules/${id}/artifacts`)).body).toEqual([]);
      expect((await fx.send('GET', `/softwaremodules/${id}/artifacts/1/download`)).status).toBe(404);
      const json = await fx.send('POST', `/softwaremodules/${id}/artifacts`, {});
      expect({ status: json.status, errorCode: json.body.errorCode }).toEqual({
        status: 400,
        errorCode: 'hawkbit.server.error.artifact.uploadFailed',
      });
    });
  });

  describe('distribution sets', () => {
    it('computes complete from the set type’s mandatory module types', async () => {
      const os = await module('os');
      const app = await module('application');
      const incomplete = await set('os_app', [app]);
      expect(incomplete).toMatchObject({
        complete: false,
        locked: false,
        valid: true,
        type: 'os_app',
        typeName: 'OS with app(s)',
      });
      const complete = await set('os_app', [os, app]);
      expect(complete.complete).toBe(true);
      expect(complete.modules.map((m: { id: number }) => m.id).sort()).toEqual([os, app].sort());
    });

    it('refuses an unknown set type (404), unknown modules (404), a module type the set type lacks (400), a duplicate (409)', async () => {
      expect((await fx.send('POST', '/distributionsets', [{ name: 'x', version: '1', type: 'nosuch' }])).status).toBe(
        404,
      );
      expect(
        (await fx.send('POST', '/distributionsets', [{ name: 'x', version: '1', modules: [{ id: 999999 }] }])).status,
      ).toBe(404);
      const app = await module('application');
      const refused = await fx.send('POST', '/distributionsets', [
        { name: 'x', version: '1', type: 'os', modules: [{ id: app }] },
      ]);
      expect(refused.status).toBe(400);
      expect(refused.body.message).toContain("not supported by distribution set type 'os'");
      const name = uniqueName('dup');
      await set('os', [], name);
      expect((await fx.send('POST', '/distributionsets', [{ name, version: '1.0', type: 'os' }])).status).toBe(409);
    });

    it('assigns modules with assignedSM, replacing the one allowed once, and lists them', async () => {
      const ds = await set('os_app');
      const os1 = await module('os');
      const os2 = await module('os');
      const app = await module('application');
      await fx.expect(204, 'POST', `/distributionsets/${ds.id}/assignedSM`, [{ id: os1 }, { id: app }]);
      await fx.expect(204, 'POST', `/distributionsets/${ds.id}/assignedSM`, [{ id: os2 }]);
      const assigned = await fx.expect(200, 'GET', `/distributionsets/${ds.id}/assignedSM?sort=id:DESC`);
      expect(assigned.body).toMatchObject({ total: 2, size: 2 });
      expect(assigned.body.content.map((m: { id: number }) => m.id)).toEqual([Math.max(os2, app), Math.min(os2, app)]);
      expect((await fx.expect(200, 'GET', `/distributionsets/${ds.id}`)).body.complete).toBe(true);
      await fx.expect(204, 'DELETE', `/distributionsets/${ds.id}/assignedSM/${os2}`);
      expect((await fx.expect(200, 'GET', `/distributionsets/${ds.id}`)).body.complete).toBe(false);
      expect((await fx.send('POST', `/distributionsets/${ds.id}/assignedSM`, [{ id: 999999 }])).status).toBe(404);
      expect((await fx.send('POST', '/distributionsets/999999/assignedSM', [{ id: os1 }])).status).toBe(404);
      expect((await fx.send('POST', `/distributionsets/${ds.id}/assignedSM`, { id: os1 })).status).toBe(400);
    });

    it('locks a set: its modules cannot change (423), a delete keeps it readable as deleted', async () => {
      const os = await module('os');
      const ds = await set('os', [os]);
      const locked = await fx.expect(200, 'PUT', `/distributionsets/${ds.id}`, { locked: true, description: 'frozen' });
      expect(locked.body).toMatchObject({ locked: true, description: 'frozen', name: ds.name });
      const refused = await fx.send('POST', `/distributionsets/${ds.id}/assignedSM`, [{ id: await module('os') }]);
      expect(refused.status).toBe(423);
      expect(refused.body).toEqual(hawkbitError);
      await fx.expect(204, 'DELETE', `/distributionsets/${ds.id}`);
      expect((await fx.expect(200, 'GET', `/distributionsets/${ds.id}`)).body.deleted).toBe(true);
      expect((await fx.expect(200, 'GET', `/distributionsets?q=name==${ds.name}`)).body.total).toBe(0);
    });

    it('lists with q and sort, renames with PUT (409 on a taken name), deletes an unlocked set', async () => {
      const name = uniqueName('list');
      const a = await set('os', [], `${name}-a`);
      const b = await set('app', [], `${name}-b`);
      const list = await fx.expect(200, 'GET', `/distributionsets?q=name==${name}*&sort=name:DESC&limit=1`);
      expect(list.body).toMatchObject({ total: 2, size: 1 });
      expect(list.body.content[0].id).toBe(b.id);
      expect((await fx.expect(200, 'GET', `/distributionsets?q=name==${name}*;type==os`)).body.content[0].id).toBe(
        a.id,
      );
      expect((await fx.expect(200, 'GET', `/distributionsets?q=name==${name}*;complete==true`)).body.total).toBe(0);
      expect((await fx.send('PUT', `/distributionsets/${b.id}`, { name: `${name}-a` })).status).toBe(409);
      expect((await fx.send('PUT', `/distributionsets/${b.id}`, { name: '' })).status).toBe(400);
      await fx.expect(204, 'DELETE', `/distributionsets/${a.id}`);
      expect((await fx.send('GET', `/distributionsets/${a.id}`)).status).toBe(404);
      expect((await fx.send('DELETE', `/distributionsets/${a.id}`)).status).toBe(404);
      expect((await fx.send('GET', '/distributionsets?sort=modules:ASC')).status).toBe(400);
    });
  });
});
